import { describe, expect, it } from 'vitest';
import { inverseSigmoid, inverseTanh, sigmoid } from './preactivation.js';

describe('pre-activations recovered by inverting the activation', () => {
  it('invert σ and tanh where they are not saturated', () => {
    for (const a of [-5, -1, 0, 0.3, 4]) {
      expect(inverseSigmoid(sigmoid(a))).toBeCloseTo(a, 9);
      expect(inverseTanh(Math.tanh(a))).toBeCloseTo(a, 9);
    }
  });

  it('give ±Infinity for saturated values (the curves pin them to the edge)', () => {
    expect(inverseSigmoid(1)).toBe(Number.POSITIVE_INFINITY);
    expect(inverseSigmoid(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(inverseTanh(-1)).toBe(Number.NEGATIVE_INFINITY);
  });
});
