import type { RunSettings } from './settings.js';
import type { BenchCell, ShapeId } from './shapes.js';

/** The ratio row time / anchor time over calls alternated in one process (see pairs.ts). */
export interface PairedRatio {
  readonly anchor: string;
  readonly pairs: number;
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
  /** The two sides' medians over the same pairs (in the pairs' process). */
  readonly rowMedianMs: number;
  readonly anchorMedianMs: number;
}

/** One timed row (field names are the --json format). */
export interface RowResult {
  readonly name: string;
  readonly kind: 'backend' | 'anchor';
  readonly shape: ShapeId;
  readonly cell: BenchCell;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Timed runs behind the median; slow rows get fewer (see README). */
  readonly runs: number;
  /** The only sample is a first run without warm-up. */
  readonly cold: boolean;
  readonly gflops: number;
  /** Max |output − reference output|; 0 for the reference row itself. */
  readonly maxAbsDiff: number;
  /** The row whose output this one was checked against. */
  readonly reference: string;
  /** Process-wide peak RSS / heap sampled around the row (its child's, for isolated rows). */
  readonly peakRssMb: number;
  readonly heapMb: number;
  /** Ran in a child process of its own. */
  readonly isolated: boolean;
  /** Steps actually run; below the shape's T (quick mode, slow rows) the times are scaled by T / measuredSteps. */
  readonly measuredSteps: number;
  /** The kernel build measured (backend-wasm: 'simd128' or 'relaxed-simd'); null for rows with one build. */
  readonly build: string | null;
  /** Queue submissions and compute dispatches of one call, where the backend counts them
   * (backend-webgpu); null elsewhere. */
  readonly work: { readonly submissions: number; readonly dispatches: number } | null;
  /** The timed call is one training step (forward, backward, Adam update; --train). */
  readonly training: boolean;
  /** Training rows: the loss of the first two steps (before and after one Adam update); null
   * for forward rows. */
  readonly losses: readonly [number, number] | null;
  /** The ratio to the pair anchor over alternated forwards; null when not paired. */
  readonly paired: PairedRatio | null;
  /** Why the row was not paired (null when paired, and for the anchor itself). */
  readonly pairedNote: string | null;
}

export interface SkippedRow {
  readonly name: string;
  readonly shape: ShapeId;
  readonly cell: BenchCell;
  readonly reason: string;
}

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly os: string;
  readonly date: string;
}

export interface BenchReport {
  readonly machine: MachineInfo;
  readonly quick: boolean;
  /** What the run did per row; null in files written before it was recorded. */
  readonly settings: RunSettings | null;
  readonly results: readonly RowResult[];
  readonly skipped: readonly SkippedRow[];
}

/** Median time of `base` in the same shape × cell group, for ratios. */
export function baselineMs(results: readonly RowResult[], row: RowResult, base: string): number | null {
  const hit = results.find((r) => r.name === base && r.shape === row.shape && r.cell === row.cell);
  return hit ? hit.medianMs : null;
}

/** Rows grouped by shape then cell, in first-seen order. */
export function groupRows(
  results: readonly RowResult[],
): { shape: ShapeId; cell: BenchCell; rows: RowResult[] }[] {
  const groups: { shape: ShapeId; cell: BenchCell; rows: RowResult[] }[] = [];
  for (const row of results) {
    let group = groups.find((g) => g.shape === row.shape && g.cell === row.cell);
    if (!group) {
      group = { shape: row.shape, cell: row.cell, rows: [] };
      groups.push(group);
    }
    group.rows.push(row);
  }
  return groups;
}
