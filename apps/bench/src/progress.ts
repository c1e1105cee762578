/** Where a run stands: set by the runner at the start of each job; the view adds the clock. */
export interface ProgressState {
  readonly done: number;
  readonly total: number;
  readonly label: string;
  /** Date.now() when the run and the current job started. */
  readonly startedAt: number;
  readonly jobStartedAt: number;
  /** Estimated length of the current job and of every job after it; null: no estimate yet. */
  readonly jobEstimateMs: number | null;
  readonly restEstimateMs: number | null;
}

/** 0s, 42s, 3m05s, 1h02m. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Time left: the rest after this job, plus what remains of this job's estimate. A job that
 * overruns its estimate holds the figure at the rest (it does not go negative). */
export function remainingMs(state: ProgressState, now: number): number | null {
  if (state.done >= state.total) return 0;
  if (state.restEstimateMs === null || state.jobEstimateMs === null) return null;
  return state.restEstimateMs + Math.max(0, state.jobEstimateMs - (now - state.jobStartedAt));
}

/** `[######..........] 12/40 2m31s · S2 gru tfjs-layers@cpu 14s · ETA ~3m10s`, cut to `columns`. */
export function progressLine(state: ProgressState, now: number, columns = 120, width = 20): string {
  const filled = state.total === 0 ? width : Math.round((state.done / state.total) * width);
  const left = remainingMs(state, now);
  const finished = state.done >= state.total;
  const parts = [
    `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${state.done}/${state.total} ${formatDuration(now - state.startedAt)}`,
    finished ? state.label : `${state.label} ${formatDuration(now - state.jobStartedAt)}`,
    finished ? '' : `ETA ${left === null ? '–' : `~${formatDuration(left)}`}`,
  ].filter(Boolean);
  const text = parts.join(' · ');
  return text.length < columns ? text : `${text.slice(0, Math.max(0, columns - 2))}…`;
}

/**
 * Draws the progress on a terminal (one line, redrawn by tick(), notes printed above it) or
 * in a log (a line per job, and a "still running" line every `heartbeatMs` of a long job).
 * It only formats and writes: the clock and the writer are given, so it runs anywhere
 * (in a worker thread for the CLI, so that it ticks while a row blocks the main thread).
 */
export class ProgressView {
  private state: ProgressState | null = null;
  private nextHeartbeat = Number.POSITIVE_INFINITY;

  constructor(
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
    private readonly columns: number,
    private readonly now: () => number,
    private readonly heartbeatMs = 30_000,
  ) {}

  update(state: ProgressState): void {
    this.state = state;
    this.nextHeartbeat = state.jobStartedAt + this.heartbeatMs;
    if (this.tty) this.redraw();
    else this.write(`${progressLine(state, this.now(), Number.POSITIVE_INFINITY)}\n`);
  }

  tick(): void {
    const state = this.state;
    if (!state || state.done >= state.total) return;
    if (this.tty) {
      this.redraw();
      return;
    }
    const now = this.now();
    if (now < this.nextHeartbeat) return;
    this.nextHeartbeat = now + this.heartbeatMs;
    this.write(`  … ${progressLine(state, now, Number.POSITIVE_INFINITY)}\n`);
  }

  note(line: string): void {
    if (this.tty && this.state) {
      this.write(`\r\x1b[2K${line}\n`);
      this.redraw();
    } else {
      this.write(`${line}\n`);
    }
  }

  /** Ends the line on a terminal. */
  finish(): void {
    if (this.tty && this.state) this.write('\n');
    this.state = null;
  }

  private redraw(): void {
    if (this.state) this.write(`\r\x1b[2K${progressLine(this.state, this.now(), this.columns)}`);
  }
}
