/** Counters of the work a backend gave its device since it was created. A bench reads them
 * before and after a forward: the differences are that forward's submissions and dispatches. */
export interface WebGpuStats {
  /** queue.submit calls. */
  readonly submissions: number;
  /** Compute dispatches, all kernels. */
  readonly dispatches: number;
  /** Dispatches by kernel: gemm, persistent, step, finish (second phase of a per-step step). */
  readonly dispatchesByKernel: Readonly<Record<string, number>>;
  /** Buffer-to-buffer copies and clears encoded (state in and out of the per-step path, lazy
   * zeroing of reused buffers, readback copies). */
  readonly copies: number;
  /** Round trips that mapped results back to the host. */
  readonly readbacks: number;
  /** GPUBuffers that exist now (reused ones in the pool included). */
  readonly liveBuffers: number;
  /** Compute pipelines and bind groups created so far (both are cached by a key). */
  readonly pipelines: number;
  readonly bindGroups: number;
}

export class StatsCounter {
  submissions = 0;
  dispatches = 0;
  copies = 0;
  readbacks = 0;
  pipelines = 0;
  bindGroups = 0;
  readonly byKernel: Record<string, number> = {};

  dispatch(kernel: string): void {
    this.dispatches++;
    this.byKernel[kernel] = (this.byKernel[kernel] ?? 0) + 1;
  }

  snapshot(liveBuffers: number): WebGpuStats {
    return Object.freeze({
      submissions: this.submissions,
      dispatches: this.dispatches,
      dispatchesByKernel: Object.freeze({ ...this.byKernel }),
      copies: this.copies,
      readbacks: this.readbacks,
      liveBuffers,
      pipelines: this.pipelines,
      bindGroups: this.bindGroups,
    });
  }
}
