import type { Kernels } from '../kernels.js';

/** The buffers one call allocated, so that an exception anywhere frees them all. */
export class BufferSet<B> {
  private readonly live = new Set<B>();

  constructor(private readonly kernels: Kernels<B, unknown>) {}

  alloc(length: number): B {
    const buffer = this.kernels.alloc(length);
    this.live.add(buffer);
    return buffer;
  }

  free(buffer: B): void {
    this.live.delete(buffer);
    this.kernels.free(buffer);
  }

  /** `buffer` outlives this call: something else frees it. */
  keep(buffer: B): void {
    this.live.delete(buffer);
  }

  freeAll(): void {
    for (const buffer of this.live) this.kernels.free(buffer);
    this.live.clear();
  }
}
