export interface PairSchedule {
  /** Timed pairs (one run of each side per pair). */
  readonly pairs: number;
  /** Untimed runs of each side first, alternated the same way. */
  readonly warmups: number;
  /** Calls per timed run; a run's time is divided by it (tiny stream steps). */
  readonly callsPerRun: number;
}

export interface PairTimes {
  /** Per-call milliseconds of side a's runs, in pair order. */
  readonly a: number[];
  /** Per-call milliseconds of side b's runs; b[i] ran right after a[i]. */
  readonly b: number[];
}

/**
 * Runs a, b, a, b, … in this process and returns the times pair by pair. On shared machines
 * the speed of a process holds for seconds but differs between processes (up to 1.6× here)
 * and moves between runs (up to 2×): the ratio of two runs side by side cancels both, where
 * the ratio of two medians taken in different processes or minutes does not.
 */
export async function alternatePairs(
  a: () => Promise<void>,
  b: () => Promise<void>,
  schedule: PairSchedule,
  now: () => number = () => performance.now(),
): Promise<PairTimes> {
  const time = async (run: () => Promise<void>) => {
    const start = now();
    for (let i = 0; i < schedule.callsPerRun; i++) await run();
    return (now() - start) / schedule.callsPerRun;
  };
  for (let i = 0; i < schedule.warmups; i++) {
    await time(a);
    await time(b);
  }
  const times: PairTimes = { a: [], b: [] };
  for (let i = 0; i < schedule.pairs; i++) {
    times.a.push(await time(a));
    times.b.push(await time(b));
  }
  return times;
}

/** Expected wall time of a pair schedule from the two sides' per-call medians (without the
 * child process's start and the rows' preparation). */
export function pairScheduleMs(rowMs: number, anchorMs: number, schedule: PairSchedule): number {
  return (schedule.pairs + schedule.warmups) * schedule.callsPerRun * (rowMs + anchorMs);
}
