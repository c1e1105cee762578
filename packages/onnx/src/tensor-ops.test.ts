import { isGatedError } from '@gated/core';
import { describe, expect, it } from 'vitest';
import type { ConstTensor } from './const-tensor.js';
import { ImportBudget } from './import-budget.js';
import { concatTensors, sliceTensor, transposeTensor } from './tensor-ops.js';

/** A [4, 3] tensor 0..11 and a budget that allows no allocation at all. */
const matrix: ConstTensor = {
  dims: [4, 3],
  values: Float32Array.from({ length: 12 }, (_, i) => i),
  integer: false,
};
const noBudget = () => new ImportBudget(0, 'test');

describe('tensor ops on constants', () => {
  it('slices a run of rows as a view of the input, allocating nothing', () => {
    const rows = sliceTensor(matrix, [1], [3], [0], null, 'Slice', noBudget());
    expect(rows.dims).toEqual([2, 3]);
    expect(Array.from(rows.values)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(rows.values.buffer).toBe(matrix.values.buffer);
    // One row's middle is contiguous too; to the end (a huge end, as torch writes it) as well.
    expect(Array.from(sliceTensor(matrix, [2, 1], [3, 3], [0, 1], null, 'Slice', noBudget()).values)).toEqual(
      [7, 8],
    );
    expect(Array.from(sliceTensor(matrix, [3], [2 ** 53], [0], null, 'Slice', noBudget()).values)).toEqual([
      9, 10, 11,
    ]);
  });

  it('copies a strided or column slice, charging the budget before allocating', () => {
    const columns = () => sliceTensor(matrix, [1], [3], [1], null, 'Slice', noBudget());
    expect(() => columns()).toThrow(/Slice: test would take 32 bytes, over the import budget of 0 bytes/);
    const budget = new ImportBudget(24, 'test');
    expect(Array.from(sliceTensor(matrix, [0], [4], [0], [2], 'Slice', budget).values)).toEqual([
      0, 1, 2, 6, 7, 8,
    ]);
    expect(
      Array.from(sliceTensor(matrix, [-1], [-5], [0], [-1], 'Slice', budget).values.subarray(0, 3)),
    ).toEqual([9, 10, 11]);
  });

  it('charges Concat and Transpose for their output before allocating it', () => {
    let error: unknown;
    try {
      concatTensors([matrix, matrix], 0, 'Concat', noBudget());
    } catch (e) {
      error = e;
    }
    expect(isGatedError(error, 'INVALID_FILE')).toBe(true);
    expect(() => transposeTensor(matrix, null, 'Transpose', noBudget())).toThrow(/48 bytes/);
    expect(
      Array.from(transposeTensor(matrix, [1, 0], 'Transpose', new ImportBudget(12, 't')).values),
    ).toEqual([0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]);
  });
});
