import { describe, expect, it } from 'vitest';
import { compareWithTolerance, DEFAULT_TOLERANCE, f32UlpDistance, toleranceFor } from './tolerance.js';

describe('tolerance', () => {
  it('accepts |a − ref| ≤ 1e-5 + 1e-4·|ref| and rejects anything beyond', () => {
    expect(compareWithTolerance([1 + 1.09e-4], [1], DEFAULT_TOLERANCE).pass).toBe(true);
    expect(compareWithTolerance([1 + 1.11e-4], [1], DEFAULT_TOLERANCE).pass).toBe(false);
    expect(compareWithTolerance([9e-6], [0], DEFAULT_TOLERANCE).pass).toBe(true);
    expect(compareWithTolerance([2e-5], [0], DEFAULT_TOLERANCE).pass).toBe(false);
  });

  it('fails NaN and infinite values with an infinite error', () => {
    const c = compareWithTolerance([0, Number.NaN], [0, 0], DEFAULT_TOLERANCE);
    expect(c.pass).toBe(false);
    expect(c.maxAbsError).toBe(Number.POSITIVE_INFINITY);
    expect(c.worst).toEqual({ index: 1, actual: Number.NaN, expected: 0 });
  });

  it('makes a non-finite value the worst element and counts the NaN ones, even where NaN is expected', () => {
    const c = compareWithTolerance(
      [5, Number.NaN, Number.POSITIVE_INFINITY],
      [0, Number.NaN, 1],
      DEFAULT_TOLERANCE,
    );
    expect(c.mismatches).toBe(3);
    expect(c.nan).toBe(1);
    expect(c.worst).toEqual({ index: 1, actual: Number.NaN, expected: Number.NaN });
  });

  it('counts f32 ULPs across zero and between neighbours', () => {
    expect(f32UlpDistance(1, 1 + 2 ** -23)).toBe(1);
    expect(f32UlpDistance(-0, 0)).toBe(0);
    expect(f32UlpDistance(-(2 ** -149), 2 ** -149)).toBe(2);
    expect(compareWithTolerance([1 + 2 ** -22], [1], DEFAULT_TOLERANCE).maxUlp).toBe(2);
  });

  it('lets a caller widen the tolerance, keeping a reason', () => {
    expect(toleranceFor('unknown-backend')).toBe(DEFAULT_TOLERANCE);
    const wider = toleranceFor('x', { abs: 1e-3, reason: 'fp16 accumulation' });
    expect(wider).toEqual({ abs: 1e-3, rel: 1e-4, reason: 'fp16 accumulation' });
  });
});
