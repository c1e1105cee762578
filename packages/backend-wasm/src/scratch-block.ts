import type { WasmHeap } from './heap.js';

const ALIGN = 64;

/**
 * The base of the kernels' scratch (SequenceScratch, BackwardScratchBlock): one heap block carved into 64-byte-aligned buffers, shared by every call of one kind (they run
 * one at a time). It grows to the largest request and is kept between calls (stream steps and
 * training steps allocate nothing), unless above `keepBytes`: then `trim` frees it after the
 * call that needed it, so one outsized request does not keep it.
 */
export class ScratchBlock {
  private start = -1;
  private bytes = 0;

  constructor(
    protected readonly heap: WasmHeap,
    private readonly keepBytes: number,
  ) {}

  /** Byte addresses of consecutive buffers of `floats[i]` f32 values each, in order. */
  protected carve(floats: readonly number[]): number[] {
    const offsets: number[] = [];
    let total = 0;
    for (const count of floats) {
      offsets.push(total);
      total += Math.ceil((count * 4) / ALIGN) * ALIGN;
    }
    if (total > this.bytes) {
      this.release();
      this.start = this.heap.alloc(total);
      this.bytes = total;
    }
    return offsets.map((offset) => this.start + offset);
  }

  /** Frees an outsized block after the call that needed it. */
  trim(): void {
    if (this.bytes > this.keepBytes) this.release();
  }

  release(): void {
    if (this.start >= 0) this.heap.release(this.start);
    this.start = -1;
    this.bytes = 0;
  }
}
