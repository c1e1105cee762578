import { describe, expect, it } from 'vitest';
import { tensor } from './tensor.js';

describe('tensor', () => {
  it('copies number arrays to f32 and keeps Float32Arrays', () => {
    const data = new Float32Array(6);
    expect(tensor(data, [2, 3]).data).toBe(data);
    expect(tensor([1, 2], [2]).data).toBeInstanceOf(Float32Array);
  });

  it('rejects data that does not match the shape, naming both', () => {
    expect(() => tensor(new Float32Array(5), [2, 3], 'x')).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        message: 'x: shape [2, 3] needs 6 values, received 5',
      }),
    );
  });

  it('rejects a negative or fractional dimension', () => {
    expect(() => tensor([], [-1])).toThrow(/shape/);
    expect(() => tensor([1], [0.5])).toThrow(/shape/);
  });
});
