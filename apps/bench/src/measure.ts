import { runsWithinBudget, type Summary, summarize } from './stats.js';

export interface MeasureOptions {
  /** Timed runs wanted (the median of these is reported). */
  readonly repeats: number;
  /** Untimed runs first (JIT, allocation, lazy initialisation). */
  readonly warmups: number;
  /** Rows slower than this in total get fewer runs (see runsWithinBudget). */
  readonly budgetMs: number;
  /** Fewest timed runs of a slow row; 0 lets a very slow row report its warm-up as the one
   * (cold) sample. */
  readonly minRuns: number;
  /** Calls per timed run; a run's time is divided by it (tiny stream steps). */
  readonly callsPerRun: number;
}

export interface Measurement {
  readonly ms: Summary;
  /** True when no warm-up preceded the timed sample(s). */
  readonly cold: boolean;
  readonly peakRssMb: number;
  readonly heapMb: number;
}

/** Process-wide memory, sampled around each run: RSS and heap are figures of the whole
 * process, so a row's peak includes what earlier rows left behind. */
export class MemorySampler {
  private rss = 0;
  private heap = 0;

  sample(): void {
    const m = process.memoryUsage();
    if (m.rss > this.rss) this.rss = m.rss;
    if (m.heapUsed > this.heap) this.heap = m.heapUsed;
  }

  get peakRssMb(): number {
    return this.rss / 2 ** 20;
  }

  get heapMb(): number {
    return this.heap / 2 ** 20;
  }
}

async function timeRun(run: () => Promise<void>, calls: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < calls; i++) await run();
  return (performance.now() - start) / calls;
}

/** Warm-up, then timed runs; returns the per-call median, min and max in milliseconds. */
export async function measure(
  run: () => Promise<void>,
  options: MeasureOptions,
  memory = new MemorySampler(),
): Promise<Measurement> {
  memory.sample();
  let warmupMs = 0;
  const samples: number[] = [];
  for (let i = 0; i < options.warmups; i++) {
    warmupMs = await timeRun(run, options.callsPerRun);
    memory.sample();
  }
  const runs = runsWithinBudget(
    options.repeats,
    warmupMs * options.callsPerRun,
    options.budgetMs,
    options.minRuns,
  );
  for (let i = 0; i < runs; i++) {
    samples.push(await timeRun(run, options.callsPerRun));
    memory.sample();
  }
  const cold = options.warmups === 0 || samples.length === 0;
  if (samples.length === 0) samples.push(warmupMs > 0 ? warmupMs : await timeRun(run, options.callsPerRun));
  memory.sample();
  return { ms: summarize(samples), cold, peakRssMb: memory.peakRssMb, heapMb: memory.heapMb };
}
