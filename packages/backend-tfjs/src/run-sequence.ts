import type { SequenceJob } from '@gated/core';
import type { CellStep } from './cells/cell-step.js';
import { gruStep } from './cells/gru-step.js';
import { lstmStep } from './cells/lstm-step.js';
import { rnnStep } from './cells/rnn-step.js';
import type { TfLayer } from './pack-layer.js';
import { RowBlocks } from './row-blocks.js';
import type { TensorBuffer } from './tensor-buffer.js';
import type { Tf, TfTensor } from './tfjs-module.js';

export type TfJob = SequenceJob<TensorBuffer, TfLayer>;

const CELL_STEPS: Record<TfLayer['cell'], CellStep> = { lstm: lstmStep, gru: gruStep, rnn: rnnStep };

/** The input projection of all steps, `projected` [T·B, G·H], as one feature-major [G·H, B]
 * tensor per step: transposed to [T, G·H, B] once, then each step's block is contiguous. */
function stepInputs(tf: Tf, blocks: RowBlocks, projected: TfTensor, T: number, B: number) {
  if (T === 1) {
    const only = tf.transpose(projected);
    return () => only;
  }
  const width = projected.shape[1] as number;
  return blocks.steps(tf.transpose(tf.reshape(projected, [T, B, width]), [0, 2, 1]));
}

/** One layer-direction over T steps, all inside one tf.tidy: the input projection of every
 * step as one matMul with the pre-summed bias, then per step the cell's ops on feature-major
 * state ([units, B], so gates are row blocks), seqLens as a select per step where some batch
 * element has ended. Nothing is downloaded: the output, final state and gate traces are placed
 * in the job's buffers as tensors. */
export function runSequence(tf: Tf, tfjsBackend: string, job: TfJob): void {
  const { layer, steps: T, batch: B } = job;
  const { hiddenSize: H, outputSize: Hout } = layer.spec;
  const step = CELL_STEPS[layer.cell];
  const [output, h, c, gates] = tf.tidy(() => {
    const x = job.input.readAll(T * B);
    const projected = layer.inputBias
      ? tf.fused.matMul({ a: x, b: layer.inputKernel, bias: layer.inputBias })
      : tf.matMul(x, layer.inputKernel);
    const blocks = new RowBlocks(tf, tfjsBackend === 'wasm');
    const inputAt = stepInputs(tf, blocks, projected, T, B);
    let state = {
      h: job.h.readBlock(job.hOffset, B, Hout, true),
      c: job.c ? job.c.readBlock(job.cOffset, B, H, true) : null,
    };
    const masks = stepMasks(tf, job.seqLens, T, B);
    const outputs: TfTensor[] = new Array(T);
    const traces: TfTensor[][] | null = job.gates ? [] : null;
    for (let k = 0; k < T; k++) {
      const t = job.reverse ? T - 1 - k : k;
      const next = step(tf, blocks, layer, inputAt(t), state, traces !== null);
      const active = masks[t];
      if (active === null) {
        outputs[t] = next.h;
        next.trace?.forEach((values, g) => {
          traces![g] ??= new Array(T);
          traces![g][t] = values;
        });
        state = next;
        continue;
      }
      // Batch elements past their length keep their state and output zeros.
      outputs[t] = tf.where(active, next.h, tf.zerosLike(next.h));
      next.trace?.forEach((values, g) => {
        traces![g] ??= new Array(T);
        traces![g][t] = tf.where(active, values, tf.zerosLike(values));
      });
      state = {
        h: tf.where(active, next.h, state.h),
        c: state.c && next.c ? tf.where(active, next.c, state.c) : null,
      };
    }
    // Time-major [T·B, Hout] (and [G', T, B, H] traces): batch-major again for the next layer.
    const outputRows = T === 1 ? tf.transpose(outputs[0]) : tf.transpose(tf.stack(outputs), [0, 2, 1]);
    const traceValues = traces
      ? tf.concat(traces.map((list) => tf.reshape(tf.transpose(tf.stack(list), [0, 2, 1]), [-1])))
      : tf.zeros([0]);
    // The final state is placed as it is held, feature-major (the buffers keep that layout).
    return [tf.reshape(outputRows, [T * B, Hout]), state.h, state.c ?? tf.zeros([0]), traceValues];
  });
  const unplaced = new Set([output, h, c, gates]);
  const place = (tensor: TfTensor, write: () => void) => {
    unplaced.delete(tensor);
    write();
  };
  try {
    place(output, () => job.output.writeColumns(T * B, job.outputStride, job.outputOffset, output));
    place(h, () => job.h.writeTensor(job.hOffset, h, [B, Hout]));
    if (job.c) place(c, () => job.c!.writeTensor(job.cOffset, c, [B, H]));
    if (job.gates) place(gates, () => job.gates!.writeTensor(0, gates, null));
  } finally {
    for (const tensor of unplaced) tensor.dispose();
  }
}

/** Per step, a bool [1, B] tensor of the batch elements still running (t < L_b), or null at
 * steps where all are. */
function stepMasks(tf: Tf, seqLens: Int32Array | null, T: number, B: number): (TfTensor | null)[] {
  const masks: (TfTensor | null)[] = new Array(T).fill(null);
  if (seqLens === null) return masks;
  for (let t = 0; t < T; t++) {
    const active = Uint8Array.from(seqLens, (length) => (t < length ? 1 : 0));
    if (active.includes(0)) masks[t] = tf.tensor2d(active, [1, B], 'bool');
  }
  return masks;
}
