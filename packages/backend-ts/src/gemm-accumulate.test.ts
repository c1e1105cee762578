import { createRandom, uniformArray } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { addColumnSums, gemmTransposedAdd, gemmTransposedLeftAdd } from './gemm-accumulate.js';

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 9, 5],
  [4, 4, 3],
  [7, 6, 9],
  [70, 13, 17],
  [9, 5, 300],
];

describe('gemmTransposedAdd', () => {
  it.each(SHAPES)('adds A·Wᵀ for %i×%i with depth %i through offsets and strides', (rows, cols, depth) => {
    const random = createRandom(rows * 1000 + cols * 10 + depth);
    const [aStride, wStride, outStride] = [depth + 2, depth + 3, cols + 4];
    const a = new Float64Array(uniformArray(1 + rows * aStride, -1, 1, random));
    const w = new Float64Array(uniformArray(2 + cols * wStride, -1, 1, random));
    const out = new Float64Array(uniformArray(3 + rows * outStride, -1, 1, random));
    const expected = out.slice();
    for (let r = 0; r < rows; r++) {
      for (let n = 0; n < cols; n++) {
        let acc = 0;
        for (let k = 0; k < depth; k++) acc += a[1 + r * aStride + k] * w[2 + n * wStride + k];
        expected[3 + r * outStride + n] += acc;
      }
    }
    gemmTransposedAdd(rows, cols, depth, a, 1, aStride, w, 2, wStride, out, 3, outStride);
    for (let k = 0; k < out.length; k++) expect(out[k]).toBeCloseTo(expected[k], 12);
  });
});

describe('gemmTransposedLeftAdd', () => {
  it.each(SHAPES)('adds Aᵀ·B for %i×%i over %i rows through offsets and strides', (rows, cols, depth) => {
    const random = createRandom(rows * 999 + cols * 7 + depth);
    const [aStride, bStride, outStride] = [rows + 2, cols + 3, cols + 1];
    const a = new Float64Array(uniformArray(1 + depth * aStride, -1, 1, random));
    const b = new Float64Array(uniformArray(2 + depth * bStride, -1, 1, random));
    const out = new Float64Array(uniformArray(3 + rows * outStride, -1, 1, random));
    const expected = out.slice();
    for (let m = 0; m < rows; m++) {
      for (let n = 0; n < cols; n++) {
        let acc = 0;
        for (let k = 0; k < depth; k++) acc += a[1 + k * aStride + m] * b[2 + k * bStride + n];
        expected[3 + m * outStride + n] += acc;
      }
    }
    gemmTransposedLeftAdd(rows, cols, depth, a, 1, aStride, b, 2, bStride, out, 3, outStride);
    for (let k = 0; k < out.length; k++) expect(out[k]).toBeCloseTo(expected[k], 12);
  });
});

describe('addColumnSums', () => {
  it('adds each column of a strided matrix into its sum', () => {
    const a = new Float32Array([9, 1, 2, 9, 3, 4, 9, 5, 6]);
    const sums = new Float64Array([10, 20, 30]);
    addColumnSums(3, 2, a, 1, 3, sums, 1);
    expect(Array.from(sums)).toEqual([10, 29, 42]);
  });
});
