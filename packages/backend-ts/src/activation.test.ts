import { describe, expect, it } from 'vitest';
import { clamp, sigmoid, tanh } from './activation.js';

describe('activations', () => {
  it('sigmoid saturates to exactly 0 and 1 at ±1e30 without NaN or overflow', () => {
    expect(sigmoid(1e30)).toBe(1);
    expect(sigmoid(-1e30)).toBe(0);
    expect(sigmoid(Number.MAX_VALUE)).toBe(1);
    expect(sigmoid(-Number.MAX_VALUE)).toBe(0);
  });

  it('tanh saturates to exactly ±1 at ±1e30', () => {
    expect(tanh(1e30)).toBe(1);
    expect(tanh(-1e30)).toBe(-1);
  });

  it('sigmoid agrees with 1 / (1 + e^-x) where that formula is safe', () => {
    for (const x of [-30, -5, -1e-3, 0, 1e-3, 2, 40]) {
      expect(sigmoid(x)).toBeCloseTo(1 / (1 + Math.exp(-x)), 15);
    }
  });

  it('clamp with an infinite bound is the identity and otherwise bounds both sides', () => {
    expect(clamp(1e30, Number.POSITIVE_INFINITY)).toBe(1e30);
    expect(clamp(7, 3)).toBe(3);
    expect(clamp(-7, 3)).toBe(-3);
    expect(clamp(0.5, 3)).toBe(0.5);
  });
});
