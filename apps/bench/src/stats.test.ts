import { describe, expect, it } from 'vitest';
import { gflopsPerSecond, maxAbsDiff, pairedRatio, quantile, runsWithinBudget, summarize } from './stats.js';

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

describe('quantile', () => {
  it('interpolates between the nearest ranks', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20], 0.1)).toBeCloseTo(11);
    expect(quantile([5], 0.9)).toBe(5);
  });

  it('gives the extremes at 0 and 1', () => {
    expect(quantile([1, 2, 3], 0)).toBe(1);
    expect(quantile([1, 2, 3], 1)).toBe(3);
  });
});

describe('pairedRatio', () => {
  it('takes one ratio per pair, then their median, p10 and p90', () => {
    // 11 pairs: ratios 1.00, 1.05, …, 1.50 in shuffled order; the anchor's speed drifts by 2×
    // but each pair's two runs share it, so the ratios stay exact.
    const ratios = [1.25, 1.0, 1.5, 1.1, 1.35, 1.05, 1.45, 1.2, 1.3, 1.15, 1.4];
    const anchor = ratios.map((_, i) => 100 * (1 + i / 10));
    const row = anchor.map((ms, i) => ms * ratios[i]);
    const stats = pairedRatio(row, anchor);
    expect(stats.pairs).toBe(11);
    expect(stats.median).toBeCloseTo(1.25);
    expect(stats.p10).toBeCloseTo(1.05);
    expect(stats.p90).toBeCloseTo(1.45);
  });

  it('is not the ratio of the medians when the speed moves between pairs', () => {
    const anchor = [100, 100, 100, 200, 200];
    const row = [125, 125, 125, 250, 250];
    expect(pairedRatio(row, anchor).median).toBeCloseTo(1.25);
    expect(pairedRatio(row, anchor).p90).toBeCloseTo(1.25);
  });

  it('rejects samples of different lengths', () => {
    expect(() => pairedRatio([1, 2], [1])).toThrow(/equally long/);
    expect(() => pairedRatio([], [])).toThrow(/non-empty/);
  });
});
