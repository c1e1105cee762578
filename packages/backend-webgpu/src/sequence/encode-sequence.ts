import type { SequenceJob } from '@gated/core';
import { weightLayout } from '../layer/layer-shape.js';
import type { PackedLayer } from '../layer/packed-layer.js';
import type { Allocation } from '../memory/allocations.js';
import type { BufferHandle } from '../memory/buffer-handle.js';
import { FEW_ROWS, FEW_ROWS_THREADS, GEMM_TILE, gemmKernel, gemmParamWords } from '../shaders/gemm-kernel.js';
import { persistentKernel } from '../shaders/persistent-kernel.js';
import {
  type RecurrenceParams,
  type RecurrenceVariant,
  recurrenceParamWords,
  variantKey,
} from '../shaders/recurrence-common.js';
import { STEP_INDEX_STRIDE, stepKernel, stepScratchLength } from '../shaders/step-kernels.js';
import type { EncodeContext } from './encode-context.js';
import { planSequence, type SequencePlan } from './plan-sequence.js';

export type Job = SequenceJob<BufferHandle, PackedLayer>;

interface Chunk {
  readonly first: number;
  readonly count: number;
}

/** Encodes one layer-direction into the pending submission: per chunk of steps, the input
 * projection GEMM, then the recurrence (one persistent dispatch, or one dispatch per step). */
export function encodeSequence(ctx: EncodeContext, job: Job): SequencePlan {
  const shape = job.layer.shape;
  const plan = planSequence(shape, job.steps, job.batch, ctx.budget, ctx.preference, ctx.workgroupSize);
  const variant: RecurrenceVariant = {
    trace: job.gates !== null,
    seqLens: job.seqLens !== null,
    rows: plan.rows,
    workgroupSize: plan.workgroupSize,
  };
  const pre = ctx.scratch(plan.chunkSteps * job.batch * shape.gateWidth);
  const lens = job.seqLens ? ctx.lengths(job.seqLens) : null;
  ctx.prepare([job.input, job.output, job.h, job.c, job.gates]);
  const chunks = chunksOf(job.steps, plan.chunkSteps, job.reverse);
  if (plan.path === 'persistent') encodePersistent(ctx, job, variant, chunks, pre, lens);
  else encodePerStep(ctx, job, variant, chunks, pre, lens);
  return plan;
}

function chunksOf(steps: number, size: number, reverse: boolean): Chunk[] {
  const chunks: Chunk[] = [];
  for (let index = 0; index * size < steps; index++) {
    const first = reverse ? Math.max(0, steps - (index + 1) * size) : index * size;
    const end = reverse ? steps - index * size : Math.min(steps, first + size);
    chunks.push({ first, count: end - first });
  }
  return chunks;
}

function encodeGemm(
  ctx: EncodeContext,
  pass: GPUComputePassEncoder,
  job: Job,
  chunk: Chunk,
  pre: Allocation,
) {
  const shape = job.layer.shape;
  const rows = chunk.count * job.batch;
  const entry = rows < GEMM_TILE.rows ? 'few_rows' : 'main';
  const pipeline = ctx.pipeline(`gemm|${shape.format}|${entry}`, () => gemmKernel(shape.format, entry));
  const params = ctx.uniform(
    gemmParamWords({
      rows,
      aOffset: chunk.first * job.batch * shape.inputSize,
      depth: shape.inputSize,
      cols: shape.gateWidth,
      biasOffset: weightLayout(shape).inputBias,
    }),
  );
  pass.setPipeline(pipeline.pipeline);
  pass.setBindGroup(
    0,
    ctx.bindGroup(pipeline, 0, [
      { allocation: params },
      { allocation: job.input.allocation },
      { allocation: job.layer.input },
      { allocation: pre },
    ]),
  );
  if (entry === 'main') {
    pass.dispatchWorkgroups(Math.ceil(shape.gateWidth / GEMM_TILE.cols), Math.ceil(rows / GEMM_TILE.rows));
  } else {
    pass.dispatchWorkgroups(Math.ceil(shape.gateWidth / FEW_ROWS_THREADS), Math.ceil(rows / FEW_ROWS));
  }
  ctx.stats.dispatch('gemm');
}

/** The bound buffers of group 0 of a recurrence kernel, in recurrenceBindings order. */
function recurrenceBuffers(
  job: Job,
  params: Allocation,
  pre: Allocation,
  state: Allocation,
  lens: Allocation | null,
): { allocation: Allocation }[] {
  const buffers = [params, pre, job.layer.recurrent, state, job.output.allocation];
  if (job.c) buffers.push(job.c.allocation);
  if (job.gates) buffers.push(job.gates.allocation);
  if (lens) buffers.push(lens);
  return buffers.map((allocation) => ({ allocation }));
}

function paramsOf(job: Job, chunk: Chunk, parity: number, hOffset: number): RecurrenceParams {
  return {
    batch: job.batch,
    steps: job.steps,
    first: chunk.first,
    count: chunk.count,
    reverse: job.reverse,
    parity,
    hOffset,
    cOffset: job.cOffset,
    outputStride: job.outputStride,
    outputOffset: job.outputOffset,
  };
}

function encodePersistent(
  ctx: EncodeContext,
  job: Job,
  variant: RecurrenceVariant,
  chunks: readonly Chunk[],
  pre: Allocation,
  lens: Allocation | null,
): void {
  const shape = job.layer.shape;
  const pipeline = ctx.pipeline(`persistent|${shape.key}|${variantKey(variant)}`, () =>
    persistentKernel(shape, variant),
  );
  const pass = ctx.encoder().beginComputePass();
  for (const chunk of chunks) {
    encodeGemm(ctx, pass, job, chunk, pre);
    const params = ctx.uniform(recurrenceParamWords(paramsOf(job, chunk, 0, job.hOffset)));
    pass.setPipeline(pipeline.pipeline);
    pass.setBindGroup(
      0,
      ctx.bindGroup(pipeline, 0, recurrenceBuffers(job, params, pre, job.h.allocation, lens)),
    );
    pass.dispatchWorkgroups(Math.ceil(job.batch / variant.rows));
    ctx.stats.dispatch('persistent');
  }
  pass.end();
}

function encodePerStep(
  ctx: EncodeContext,
  job: Job,
  variant: RecurrenceVariant,
  chunks: readonly Chunk[],
  pre: Allocation,
  lens: Allocation | null,
): void {
  const shape = job.layer.shape;
  const key = `step|${shape.key}|${variantKey(variant)}`;
  const gates = ctx.pipeline(`${key}|gates`, () => stepKernel(shape, variant, 'gates'));
  const finish =
    shape.second === null ? null : ctx.pipeline(`${key}|finish`, () => stepKernel(shape, variant, 'finish'));
  const stateBytes = job.batch * shape.outputSize * 4;
  const state = ctx.scratch(stepScratchLength(shape, job.batch));
  const stepIndex = ctx.stepIndex(Math.max(...chunks.map((c) => c.count)));
  const encoder = ctx.encoder();
  encoder.copyBufferToBuffer(job.h.allocation.gpu, job.hOffset * 4, state.gpu, 0, stateBytes);
  ctx.stats.copies++;
  const pass = encoder.beginComputePass();
  const stepGroup = ctx.bindGroup(gates, 1, [{ allocation: stepIndex, size: 16 }]);
  const groupsY = Math.ceil(job.batch / variant.rows);
  let done = 0;
  for (const chunk of chunks) {
    encodeGemm(ctx, pass, job, chunk, pre);
    const params = ctx.uniform(recurrenceParamWords(paramsOf(job, chunk, done & 1, 0)));
    const group = ctx.bindGroup(gates, 0, recurrenceBuffers(job, params, pre, state, lens));
    for (let s = 0; s < chunk.count; s++) {
      pass.setPipeline(gates.pipeline);
      pass.setBindGroup(0, group);
      pass.setBindGroup(1, stepGroup, [s * STEP_INDEX_STRIDE]);
      pass.dispatchWorkgroups(Math.ceil(shape.hiddenSize / variant.workgroupSize), groupsY);
      ctx.stats.dispatch('step');
      if (finish) {
        pass.setPipeline(finish.pipeline);
        pass.dispatchWorkgroups(Math.ceil(shape.outputSize / variant.workgroupSize), groupsY);
        ctx.stats.dispatch('finish');
      }
    }
    done += chunk.count;
  }
  pass.end();
  encoder.copyBufferToBuffer(
    state.gpu,
    (done & 1) * stateBytes,
    job.h.allocation.gpu,
    job.hOffset * 4,
    stateBytes,
  );
  ctx.stats.copies++;
}
