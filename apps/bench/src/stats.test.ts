import { describe, expect, it } from 'vitest';
import { gflopsPerSecond, maxAbsDiff, runsWithinBudget, summarize } from './stats.js';

describe('summarize', () => {
  it('takes the middle sample of an odd count as the median', () => {
    expect(summarize([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, count: 3 });
  });

  it('averages the two middle samples of an even count', () => {
    expect(summarize([4, 1, 2, 10]).median).toBe(3);
  });

  it('does not reorder the caller’s samples', () => {
    const samples = [3, 1, 2];
    summarize(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('rejects an empty sample', () => {
    expect(() => summarize([])).toThrow(/at least one sample/);
  });
});

describe('gflopsPerSecond', () => {
  it('divides operations by time in nanoseconds', () => {
    expect(gflopsPerSecond(2e9, 1000)).toBe(2);
    expect(gflopsPerSecond(1e6, 0.5)).toBeCloseTo(2);
  });
});

describe('maxAbsDiff', () => {
  it('finds the largest elementwise difference', () => {
    expect(maxAbsDiff(Float32Array.of(1, 2, 3), Float32Array.of(1, 2.5, 2))).toBe(1);
  });

  it('is infinite for a NaN or a length mismatch, so a broken row never passes the check', () => {
    expect(maxAbsDiff(Float32Array.of(0, Number.NaN), Float32Array.of(0, 0))).toBe(Number.POSITIVE_INFINITY);
    expect(maxAbsDiff(Float32Array.of(0), Float32Array.of(0, 0))).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('runsWithinBudget', () => {
  it('keeps the requested count for fast rows', () => {
    expect(runsWithinBudget(7, 10, 30_000, 3)).toBe(7);
  });

  it('cuts slow rows down to what fits the budget, but not below the minimum', () => {
    expect(runsWithinBudget(7, 6_000, 30_000, 3)).toBe(5);
    expect(runsWithinBudget(7, 20_000, 30_000, 3)).toBe(3);
    expect(runsWithinBudget(7, 20_000, 8_000, 0)).toBe(0);
  });
});
