import { describe, expect, it } from 'vitest';
import { alternatePairs, pairScheduleMs } from './pairs.js';
import { pairedRatio } from './stats.js';

/** Two fake rows on a fake clock: each call logs its side and advances the clock by its cost. */
function fakeRows(costA: (call: number) => number, costB: (call: number) => number) {
  let clock = 0;
  const log: string[] = [];
  let callsA = 0;
  let callsB = 0;
  return {
    log,
    now: () => clock,
    a: async () => {
      log.push('A');
      clock += costA(callsA++);
    },
    b: async () => {
      log.push('B');
      clock += costB(callsB++);
    },
  };
}

describe('alternatePairs', () => {
  it('runs A, B, A, B, … (warm-ups first, alternated the same way)', async () => {
    const rows = fakeRows(
      () => 1,
      () => 1,
    );
    const times = await alternatePairs(rows.a, rows.b, { pairs: 3, warmups: 1, callsPerRun: 1 }, rows.now);
    expect(rows.log.join('')).toBe('ABABABAB');
    expect(times.a).toHaveLength(3);
    expect(times.b).toHaveLength(3);
  });

  it('pairs each A run with the B run right after it, per call', async () => {
    // The machine slows down 2× halfway; each pair's ratio still reads 1.25.
    const speed = (run: number) => (run < 6 ? 1 : 2);
    const rows = fakeRows(
      (call) => 125 * speed(Math.floor(call / 4)),
      (call) => 100 * speed(Math.floor(call / 4)),
    );
    const times = await alternatePairs(rows.a, rows.b, { pairs: 11, warmups: 1, callsPerRun: 4 }, rows.now);
    expect(rows.log.slice(0, 16).join('')).toBe('AAAABBBBAAAABBBB');
    expect(times.a[0]).toBe(125);
    expect(times.b[0]).toBe(100);
    expect(times.a[10]).toBe(250);
    const stats = pairedRatio(times.a, times.b);
    expect(stats).toMatchObject({ pairs: 11, median: 1.25, p10: 1.25, p90: 1.25 });
  });
});

describe('pairScheduleMs', () => {
  it('counts the warm-up pair and every call of both sides', () => {
    expect(pairScheduleMs(125, 176, { pairs: 15, warmups: 1, callsPerRun: 1 })).toBe(16 * 301);
    expect(pairScheduleMs(0.04, 0.44, { pairs: 15, warmups: 1, callsPerRun: 20 })).toBeCloseTo(
      16 * 20 * 0.48,
    );
  });
});
