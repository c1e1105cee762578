import { describe, expect, it } from 'vitest';
import { toBatchMajor, toTimeMajor } from './layout.js';

describe('layout', () => {
  it('swaps the time and batch axes and back', () => {
    // [T=2, B=3, F=2]
    const x = Float32Array.from({ length: 12 }, (_, i) => i);
    const batchMajor = toBatchMajor(x, 2, 3, 2);
    expect([...batchMajor.subarray(0, 4)]).toEqual([0, 1, 6, 7]);
    expect([...toTimeMajor(batchMajor, 3, 2, 2)]).toEqual([...x]);
  });
});
