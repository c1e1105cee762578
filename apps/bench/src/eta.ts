import { type BenchCell, type Shape, shapeFlops } from './shapes.js';

/** One unit of work of a run: a row's own timing, or its pairs with the anchor. */
export interface EtaJob {
  readonly kind: 'row' | 'pairs';
  readonly subject: string;
  readonly shape: Shape;
  readonly cell: BenchCell;
}

/** The run's rules the estimate follows (the same functions the runner uses). */
export interface EtaPlan {
  readonly anchor: string;
  /** Calls per timed run (stream steps per run, or 1). */
  callsPerRun(shape: Shape): number;
  /** Timed runs a row gets when one run takes `runMs` (the per-row budget rule). */
  runs(job: EtaJob, runMs: number): number;
  /** Wall time of a row's pair schedule from both sides' per-call times; 0 when it would not run. */
  pairsMs(job: EtaJob, rowCallMs: number, anchorCallMs: number): number;
}

interface RowRecord {
  readonly job: EtaJob;
  readonly durationMs: number;
  /** Median per-call time; null when the row did not time (skipped). */
  readonly callMs: number | null;
  readonly runs: number;
}

/** Used before anything has been seen: a row's preparation and a few runs, a child's start. */
export const FIRST_ROW_GUESS_MS = 3_000;
export const CHILD_START_GUESS_MS = 3_000;

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * Estimates how long the rest of a run takes from what the run has seen so far. A row's time
 * is its preparation plus (first output + warm-up + timed runs) × one run, where one run is
 * predicted from the same subject's other rows scaled by FLOPs (stream rows only from stream
 * rows) and the runs follow the budget rule; pairs take their schedule plus a child's start.
 * Nothing here reads a clock: the runner records durations, the view counts down.
 */
export class EtaModel {
  private readonly rows: RowRecord[] = [];
  private readonly pairOverheads: number[] = [];

  constructor(private readonly plan: EtaPlan) {}

  recordRow(job: EtaJob, durationMs: number, callMs: number | null, runs: number): void {
    this.rows.push({ job, durationMs, callMs, runs });
  }

  /** A pairs job took `durationMs`, of which `scheduleMs` were the alternated runs (0: not run). */
  recordPairs(durationMs: number, scheduleMs: number): void {
    if (scheduleMs > 0) this.pairOverheads.push(Math.max(0, durationMs - scheduleMs));
  }

  /** Per-call time of a subject on a shape × cell: measured, or scaled from its other rows. */
  predictCallMs(subject: string, shape: Shape, cell: BenchCell): number | null {
    const own = this.rows.filter(
      (r) => r.job.subject === subject && r.callMs !== null && r.job.shape.mode === shape.mode,
    );
    const exact = own.find((r) => r.job.shape.id === shape.id && r.job.cell === cell);
    if (exact) return exact.callMs;
    if (own.length === 0) return null;
    // The largest known row predicts best (fixed costs matter least there).
    const base = own.reduce((a, b) =>
      shapeFlops(b.job.shape, b.job.cell) > shapeFlops(a.job.shape, a.job.cell) ? b : a,
    );
    return (base.callMs as number) * (shapeFlops(shape, cell) / shapeFlops(base.job.shape, base.job.cell));
  }

  estimate(job: EtaJob): number {
    return job.kind === 'row' ? this.estimateRow(job) : this.estimatePairs(job);
  }

  /** The sum of the estimates of `jobs`. */
  total(jobs: readonly EtaJob[]): number {
    return jobs.reduce((sum, job) => sum + this.estimate(job), 0);
  }

  private estimateRow(job: EtaJob): number {
    const callMs = this.predictCallMs(job.subject, job.shape, job.cell);
    if (callMs !== null) {
      const runMs = callMs * this.plan.callsPerRun(job.shape);
      return this.rowOverhead(job.subject) + (2 + this.plan.runs(job, runMs)) * runMs;
    }
    const sameShape = this.rows.filter((r) => r.job.shape.id === job.shape.id).map((r) => r.durationMs);
    if (sameShape.length > 0) return mean(sameShape);
    return this.rows.length > 0 ? mean(this.rows.map((r) => r.durationMs)) : FIRST_ROW_GUESS_MS;
  }

  /** What a subject's rows took beyond their runs (preparation, a child's start). */
  private rowOverhead(subject: string): number {
    const overheads = this.rows
      .filter((r) => r.job.subject === subject && r.callMs !== null)
      .map((r) => {
        const runMs = (r.callMs as number) * this.plan.callsPerRun(r.job.shape);
        return Math.max(0, r.durationMs - (2 + r.runs) * runMs);
      });
    return overheads.length > 0 ? mean(overheads) : 0;
  }

  private estimatePairs(job: EtaJob): number {
    const rowMs = this.predictCallMs(job.subject, job.shape, job.cell);
    const anchorMs = this.predictCallMs(this.plan.anchor, job.shape, job.cell);
    const overhead = this.pairOverheads.length > 0 ? mean(this.pairOverheads) : CHILD_START_GUESS_MS;
    if (rowMs === null || anchorMs === null) return overhead;
    const scheduleMs = this.plan.pairsMs(job, rowMs, anchorMs);
    return scheduleMs > 0 ? scheduleMs + overhead : 0;
  }
}
