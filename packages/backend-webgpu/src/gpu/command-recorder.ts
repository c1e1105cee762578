import { type ErrorChecks, scoped } from './device-health.js';
import type { StatsCounter } from './stats.js';

/** The one command encoder that collects a call's work until it is submitted: a forward encodes
 * every layer and direction here and submits once, with its readback. Releases registered while
 * work is pending run right after that work is submitted (a buffer freed by the orchestration
 * before its last use has run is reused or destroyed only then). */
export class CommandRecorder {
  private current: GPUCommandEncoder | null = null;
  private afterSubmit: (() => void)[] = [];

  constructor(
    private readonly device: GPUDevice,
    private readonly checks: ErrorChecks,
    private readonly stats: StatsCounter,
  ) {}

  /** Whether commands are waiting to be submitted. */
  get pending(): boolean {
    return this.current !== null;
  }

  encoder(): GPUCommandEncoder {
    this.current ??= this.device.createCommandEncoder({ label: 'gated' });
    return this.current;
  }

  /** Runs `release` once the pending work is submitted, or now when nothing is pending. */
  whenSubmitted(release: () => void): void {
    if (this.current === null) release();
    else this.afterSubmit.push(release);
  }

  /** Submits the pending work (if any) as one submission. */
  submit(): void {
    const encoder = this.current;
    if (encoder === null) return;
    this.current = null;
    const releases = this.afterSubmit;
    this.afterSubmit = [];
    try {
      const { check } = scoped(this.device, 'submitting work', () =>
        this.device.queue.submit([encoder.finish()]),
      );
      this.checks.add(check);
      this.stats.submissions++;
    } finally {
      for (const release of releases) release();
    }
  }
}
