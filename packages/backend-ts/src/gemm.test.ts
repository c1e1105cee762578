import { createRandom, uniformArray } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { gemmTransposed } from './gemm.js';

/** out[r, n] = a[r]·w[n] + bias[n], summed in the same order as the blocked kernel. */
function naive(
  rows: number,
  cols: number,
  depth: number,
  a: Float32Array,
  w: Float32Array,
  bias: Float32Array,
): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let n = 0; n < cols; n++) {
      let acc = 0;
      for (let k = 0; k < depth; k++) acc += a[r * depth + k] * w[n * depth + k];
      out[r * cols + n] = acc + bias[n];
    }
  }
  return out;
}

describe('gemmTransposed', () => {
  it.each([
    [1, 1, 1],
    [1, 9, 5],
    [4, 4, 3],
    [7, 6, 9],
    [70, 13, 17],
    [129, 8, 4],
  ])(
    'matches the naive product bit for bit for %i×%i with depth %i (blocks and tails)',
    (rows, cols, depth) => {
      const random = createRandom(rows * 1000 + cols * 10 + depth);
      const a = uniformArray(rows * depth, -1, 1, random);
      const w = uniformArray(cols * depth, -1, 1, random);
      const bias = uniformArray(cols, -1, 1, random);
      const out = new Float32Array(rows * cols);
      gemmTransposed(rows, cols, depth, a, 0, depth, w, 0, bias, 0, out, 0, cols);
      expect(out).toEqual(naive(rows, cols, depth, a, w, bias));
    },
  );

  it('reads and writes through offsets and strides without touching anything else', () => {
    const random = createRandom(7);
    const [rows, cols, depth] = [5, 6, 3];
    const a = uniformArray(2 + rows * 4, -1, 1, random);
    const w = uniformArray(3 + cols * depth, -1, 1, random);
    const bias = uniformArray(1 + cols, -1, 1, random);
    const out = new Float32Array(rows * 10).fill(42);
    gemmTransposed(rows, cols, depth, a, 2, 4, w, 3, bias, 1, out, 4, 10);
    for (let r = 0; r < rows; r++) {
      for (let n = 0; n < 10; n++) {
        const value = out[r * 10 + n];
        if (n < 4) {
          expect(value).toBe(42);
          continue;
        }
        let acc = 0;
        for (let k = 0; k < depth; k++) acc += a[2 + r * 4 + k] * w[3 + (n - 4) * depth + k];
        expect(value).toBe(Math.fround(acc + bias[1 + n - 4]));
      }
    }
  });
});
