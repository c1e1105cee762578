import { GatedError, type Tensor, tensor } from '@gated/core';
import type { Batch, StepResult, Trainer } from './trainer.js';

export interface TruncatedResult {
  /** Mean loss over every counted prediction of the batch (each chunk weighted by its count). */
  readonly loss: number;
  readonly count: number;
  readonly correct?: number;
  /** One step result per chunk, in order. */
  readonly chunks: readonly StepResult[];
  /** The state after the last chunk. */
  readonly state: { readonly h: Tensor; readonly c?: Tensor };
}

/** Truncated backpropagation through time over a long batch (readout 'sequence'): the steps
 * are cut into chunks of `steps` (the last may be shorter); each chunk is one training step
 * (forward from the state the previous chunk ended in, backward through this chunk only, one
 * optimizer update), and the state is carried into the next chunk detached, as PyTorch's
 * `h = h.detach()` between chunks. With `steps` ≥ T it is one ordinary step. */
export async function trainTruncated(
  trainer: Trainer,
  batch: Batch,
  options: { steps: number },
): Promise<TruncatedResult> {
  if (trainer.readout !== 'sequence') {
    throw new GatedError(
      'INVALID_INPUT',
      `trainer.readout: truncated BPTT needs 'sequence', received '${trainer.readout}'`,
    );
  }
  const k = options.steps;
  if (!Number.isInteger(k) || k < 1) {
    throw new GatedError('INVALID_INPUT', `options.steps: expected an integer ≥ 1, received ${k}`);
  }
  const timeAxis = trainer.config.batchFirst ? 1 : 0;
  const T = batch.x.shape[timeAxis];
  const chunks: StepResult[] = [];
  let state: { h?: Tensor; c?: Tensor } = { h: batch.h0, c: batch.c0 };
  let total = 0;
  let count = 0;
  let correct = 0;
  for (let start = 0; start < T; start += k) {
    const end = Math.min(T, start + k);
    const chunk: { x: Tensor; target: Tensor; seqLens?: number[]; h0?: Tensor; c0?: Tensor } = {
      x: sliceSteps(batch.x, timeAxis, start, end),
      target: sliceSteps(batch.target, timeAxis, start, end),
    };
    if (batch.seqLens !== undefined) {
      chunk.seqLens = batch.seqLens.map((L) => Math.max(0, Math.min(L, end) - start));
    }
    if (state.h !== undefined) chunk.h0 = state.h;
    if (state.c !== undefined) chunk.c0 = state.c;
    const result = await trainer.step(chunk);
    chunks.push(result);
    total += result.loss * result.count;
    count += result.count;
    correct += result.correct ?? 0;
    state = result.state;
  }
  return {
    loss: count > 0 ? total / count : 0,
    count,
    correct: trainer.loss === 'crossEntropy' ? correct : undefined,
    chunks,
    state: state as TruncatedResult['state'],
  };
}

/** Steps [start, end) of a tensor whose time axis is `axis` (0: [T, B, ...], 1: [B, T, ...]). */
export function sliceSteps(x: Tensor, axis: number, start: number, end: number): Tensor {
  const shape = [...x.shape];
  const T = shape[axis];
  const inner = x.data.length / (axis === 0 ? T : shape[0] * T);
  const outer = axis === 0 ? 1 : shape[0];
  const out = new Float32Array(outer * (end - start) * inner);
  for (let o = 0; o < outer; o++) {
    out.set(x.data.subarray((o * T + start) * inner, (o * T + end) * inner), o * (end - start) * inner);
  }
  shape[axis] = end - start;
  return tensor(out, shape);
}
