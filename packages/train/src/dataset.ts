import { createRandom, GatedError, type Tensor, tensor } from '@gated/core';
import type { Readout } from './readout.js';
import type { Batch } from './trainer.js';

/** Samples in sample-major layout; `fit` gathers them into batches in the model's layout. */
export interface Dataset {
  /** [N, T, I]. */
  readonly x: Tensor;
  /** Per sample: readout 'last': [N] class indices or [N, O] values; readout 'sequence': [N, T]
   * class indices or [N, T, O] values. */
  readonly target: Tensor;
  /** Valid steps of each sample (seqLens of its batch); all T when absent. */
  readonly lengths?: readonly number[];
}

/** The sample order of every epoch: `shuffle` returns epoch e's permutation of 0..N−1, the
 * Fisher–Yates shuffle driven by one seeded generator (core's createRandom) across epochs, so
 * a run is reproducible and another program can replay the same batches. */
export function epochOrders(samples: number, seed: number): (epoch: number) => Int32Array {
  const random = createRandom(seed);
  const orders: Int32Array[] = [];
  return (epoch: number) => {
    while (orders.length <= epoch) {
      const order = Int32Array.from({ length: samples }, (_, k) => k);
      for (let k = samples - 1; k > 0; k--) {
        const j = Math.floor(random() * (k + 1));
        const t = order[k];
        order[k] = order[j];
        order[j] = t;
      }
      orders.push(order);
    }
    return orders[epoch];
  };
}

/** The samples `indices` of a dataset as one batch: x [T, B, I] (or [B, T, I] with
 * batchFirst), targets with the same leading axes as the predictions. */
export function gatherBatch(
  dataset: Dataset,
  indices: ArrayLike<number>,
  layout: { readonly batchFirst: boolean; readonly readout: Readout },
): Batch {
  const [N, T, I] = dataset.x.shape;
  const { batchFirst } = layout;
  const B = indices.length;
  const perSample = dataset.target.data.length / N;
  const sequenceTarget = layout.readout === 'sequence';
  const x = new Float32Array(B * T * I);
  const target = new Float32Array(B * perSample);
  for (let k = 0; k < B; k++) {
    const n = indices[k];
    if (!(n >= 0 && n < N))
      throw new GatedError(
        'INVALID_INPUT',
        `indices[${k}]: expected a sample in [0, ${N - 1}], received ${n}`,
      );
    for (let t = 0; t < T; t++) {
      const to = batchFirst ? (k * T + t) * I : (t * B + k) * I;
      x.set(dataset.x.data.subarray((n * T + t) * I, (n * T + t + 1) * I), to);
    }
    if (sequenceTarget && !batchFirst) {
      const F = perSample / T;
      for (let t = 0; t < T; t++) {
        target.set(dataset.target.data.subarray((n * T + t) * F, (n * T + t + 1) * F), (t * B + k) * F);
      }
    } else {
      target.set(dataset.target.data.subarray(n * perSample, (n + 1) * perSample), k * perSample);
    }
  }
  const rest = dataset.target.shape.slice(sequenceTarget ? 2 : 1);
  const leading = sequenceTarget ? (batchFirst ? [B, T] : [T, B]) : [B];
  const batch: { x: Tensor; target: Tensor; seqLens?: number[] } = {
    x: tensor(x, batchFirst ? [B, T, I] : [T, B, I]),
    target: tensor(target, [...leading, ...rest]),
  };
  if (dataset.lengths !== undefined) batch.seqLens = Array.from(indices, (n) => dataset.lengths![n]);
  return batch;
}

/** Checks a dataset's shapes once, before training on it. */
export function checkDataset(dataset: Dataset, argument: string, readout: Readout): number {
  const { x, target, lengths } = dataset ?? {};
  if (x?.shape.length !== 3 || x.data.length !== x.shape[0] * x.shape[1] * x.shape[2]) {
    throw new GatedError(
      'INVALID_INPUT',
      `${argument}.x: expected a tensor [N, T, I], received [${x?.shape?.join(', ')}]`,
    );
  }
  const N = x.shape[0];
  if (!target || target.shape[0] !== N) {
    throw new GatedError(
      'INVALID_INPUT',
      `${argument}.target: expected a tensor with ${N} samples on its first axis, received [${target?.shape?.join(', ')}]`,
    );
  }
  if (readout === 'sequence' && target.shape[1] !== x.shape[1]) {
    throw new GatedError(
      'INVALID_INPUT',
      `${argument}.target: expected [N, T, ...] = [${N}, ${x.shape[1]}, ...] for readout 'sequence', received [${target.shape.join(', ')}]`,
    );
  }
  if (lengths !== undefined && lengths.length !== N) {
    throw new GatedError(
      'INVALID_INPUT',
      `${argument}.lengths: expected ${N} lengths, received ${lengths.length}`,
    );
  }
  return N;
}
