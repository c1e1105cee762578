import { describe, expect, it } from 'vitest';
import { formatDuration, type ProgressState, ProgressView, progressLine, remainingMs } from './progress.js';

const state = (overrides: Partial<ProgressState> = {}): ProgressState => ({
  done: 5,
  total: 20,
  label: 'S2 gru tfjs-layers@cpu',
  startedAt: 0,
  jobStartedAt: 60_000,
  jobEstimateMs: 20_000,
  restEstimateMs: 100_000,
  ...overrides,
});

describe('formatDuration', () => {
  it('writes seconds, then minutes and seconds, then hours and minutes', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(42_400)).toBe('42s');
    expect(formatDuration(185_000)).toBe('3m05s');
    expect(formatDuration(3_720_000)).toBe('1h02m');
    expect(formatDuration(-5)).toBe('0s');
  });
});

describe('remainingMs', () => {
  it('counts down through the current job, then holds at the rest when the job overruns', () => {
    expect(remainingMs(state(), 60_000)).toBe(120_000);
    expect(remainingMs(state(), 75_000)).toBe(105_000);
    expect(remainingMs(state(), 200_000)).toBe(100_000);
  });

  it('has no figure before there is an estimate, and 0 at the end', () => {
    expect(remainingMs(state({ restEstimateMs: null }), 60_000)).toBeNull();
    expect(remainingMs(state({ done: 20 }), 60_000)).toBe(0);
  });
});

describe('progressLine', () => {
  it('shows the bar, count, elapsed time, the job with its own elapsed time, and the ETA', () => {
    expect(progressLine(state(), 72_000)).toBe(
      '[#####...............] 5/20 1m12s · S2 gru tfjs-layers@cpu 12s · ETA ~1m48s',
    );
  });

  it('says there is no ETA yet rather than guessing', () => {
    expect(progressLine(state({ jobEstimateMs: null }), 60_000)).toMatch(/ETA –$/);
  });

  it('fits the terminal width', () => {
    const line = progressLine(state(), 72_000, 30);
    expect(line).toHaveLength(29);
    expect(line.endsWith('…')).toBe(true);
  });
});

describe('ProgressView', () => {
  function view(tty: boolean) {
    let now = 60_000;
    const out: string[] = [];
    const v = new ProgressView(
      (t) => out.push(t),
      tty,
      200,
      () => now,
      30_000,
    );
    return { v, out, at: (ms: number) => (now = ms) };
  }

  it('redraws one line on a terminal at every tick, the time moving on', () => {
    const { v, out, at } = view(true);
    v.update(state());
    at(61_000);
    v.tick();
    at(62_000);
    v.tick();
    expect(out).toHaveLength(3);
    expect(out.every((t) => t.startsWith('\r\x1b[2K'))).toBe(true);
    expect(out[1]).toContain('tfjs-layers@cpu 1s');
    expect(out[2]).toContain('tfjs-layers@cpu 2s · ETA ~1m58s');
  });

  it('prints notes above the line and draws it again', () => {
    const { v, out } = view(true);
    v.update(state());
    v.note('skipped x');
    expect(out[1]).toBe('\r\x1b[2Kskipped x\n');
    expect(out[2].startsWith('\r\x1b[2K[')).toBe(true);
    v.finish();
    expect(out.at(-1)).toBe('\n');
  });

  it('writes a line per job in a log, and a heartbeat while a long job runs', () => {
    const { v, out, at } = view(false);
    v.update(state());
    at(70_000);
    v.tick();
    expect(out).toHaveLength(1);
    at(90_000);
    v.tick();
    expect(out).toHaveLength(2);
    expect(out[1]).toMatch(/^ {2}… .*tfjs-layers@cpu 30s · ETA ~1m40s\n$/);
    at(100_000);
    v.tick();
    expect(out).toHaveLength(2);
  });
});
