/** Median, min and max of a sample (milliseconds). The median of an even count is the mean
 * of the middle two. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('summarize: expected at least one sample, received none');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], count: sorted.length };
}

/** GFLOP/s of `flops` floating-point operations done in `ms` milliseconds. */
export function gflopsPerSecond(flops: number, ms: number): number {
  return ms > 0 ? flops / (ms * 1e6) : 0;
}

/** Largest |a − b| elementwise; Infinity when the lengths differ or a value is NaN. */
export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= max)) max = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return max;
}

/** How many timed runs fit a row's time budget, given how long the warm-up took: the
 * requested count, cut down for slow rows but never below `minimum`. */
export function runsWithinBudget(
  requested: number,
  warmupMs: number,
  budgetMs: number,
  minimum: number,
): number {
  if (warmupMs <= 0) return requested;
  return Math.max(minimum, Math.min(requested, Math.floor(budgetMs / warmupMs)));
}

/** The q-quantile (0 ≤ q ≤ 1) of ascending `sorted`, interpolated linearly between the two
 * nearest ranks (numpy's default, R type 7): the median of [1, 2, 3, 4] is 2.5. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('quantile: expected at least one sample, received none');
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** The ratio row / anchor over alternated pairs: one ratio per pair (the two runs of a pair ran
 * back to back in one process, so they share that process's and that moment's speed), then
 * their median and 10th and 90th percentiles. */
export interface PairedStats {
  readonly pairs: number;
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
}

export function pairedRatio(rowMs: readonly number[], anchorMs: readonly number[]): PairedStats {
  if (rowMs.length !== anchorMs.length || rowMs.length === 0) {
    throw new Error(
      `pairedRatio: expected two equally long non-empty samples, received ${rowMs.length} and ${anchorMs.length}`,
    );
  }
  const ratios = rowMs.map((ms, i) => ms / anchorMs[i]).sort((a, b) => a - b);
  return {
    pairs: ratios.length,
    median: quantile(ratios, 0.5),
    p10: quantile(ratios, 0.1),
    p90: quantile(ratios, 0.9),
  };
}
