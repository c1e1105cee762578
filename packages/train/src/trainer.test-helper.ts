import { createRandom, type Tensor, tensor } from '@gated/core';
import type { Dataset } from './dataset.js';

/** A seeded dataset: x uniform in [−1, 1], and a target that depends on the inputs (the class
 * of the running sum's sign pattern, or the running mean), so there is something to learn. */
export function toyDataset(options: {
  samples: number;
  steps: number;
  inputs: number;
  classes?: number;
  readout: 'sequence' | 'last';
  regression?: boolean;
  lengths?: boolean;
  seed?: number;
}): Dataset {
  const { samples: N, steps: T, inputs: I, classes = 3, readout } = options;
  const random = createRandom(options.seed ?? 1);
  const x = new Float32Array(N * T * I);
  for (let k = 0; k < x.length; k++) x[k] = random() * 2 - 1;
  const perStep = readout === 'sequence' ? T : 1;
  const target = new Float32Array(N * perStep * (options.regression ? 2 : 1));
  const lengths = options.lengths ? Array.from({ length: N }, () => 1 + Math.floor(random() * T)) : undefined;
  for (let n = 0; n < N; n++) {
    let sum = 0;
    const L = lengths?.[n] ?? T;
    for (let t = 0; t < T; t++) {
      sum += x[(n * T + t) * I];
      const row = readout === 'sequence' ? n * T + t : n;
      if (readout === 'last' && t !== L - 1) continue;
      if (options.regression) {
        target[row * 2] = sum / (t + 1);
        target[row * 2 + 1] = x[(n * T + t) * I + (I - 1)];
      } else {
        target[row] = Math.min(classes - 1, Math.floor(((Math.tanh(sum) + 1) / 2) * classes));
      }
    }
  }
  const targetShape =
    readout === 'sequence'
      ? [N, T, ...(options.regression ? [2] : [])]
      : [N, ...(options.regression ? [2] : [])];
  return { x: tensor(x, [N, T, I]), target: tensor(target, targetShape), ...(lengths ? { lengths } : {}) };
}

export function copyParameters(parameters: Record<string, Float32Array>): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(parameters).map(([n, a]) => [n, Float32Array.from(a)]));
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]));
  return m;
}

export function describeTensor(t: Tensor): string {
  return `[${t.shape.join(', ')}]`;
}
