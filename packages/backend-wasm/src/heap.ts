import { GatedError } from '@gated/core';
import { FreeBins, type FreeBlock } from './free-bins.js';

const PAGE_BYTES = 65536;
/** wasm32 address space: 65536 pages of 64 KiB = 4 GiB. */
const MAX_PAGES = 65536;
const MAX_BYTES = MAX_PAGES * PAGE_BYTES;
/** Blocks start on cache-line boundaries, so f32x4 rows never straddle lines needlessly. */
const ALIGN = 64;

/**
 * An allocator in JS over one wasm memory. Free blocks are kept twice: by start and by end
 * (boundary tags, so a freed block merges with both neighbours in O(1)) and in size classes
 * (free-bins.ts, so a fit is found in O(1)). Memory grows only when no free block fits, by
 * what the request lacks beyond the free block at the end. Byte offsets in, byte offsets out.
 */
export class WasmHeap {
  private readonly bins = new FreeBins();
  /** Free blocks by start and by end (start + size). */
  private readonly freeByStart = new Map<number, FreeBlock>();
  private readonly freeByEnd = new Map<number, FreeBlock>();
  /** Allocated blocks: start → size (the recorded size that bounds every access). */
  private readonly used = new Map<number, number>();
  /** End of the highest block ever handed out: memory above it has never been written since
   * memory.grow zero-filled it, so blocks there need no fill. */
  private highWater: number;
  private view: Float32Array;

  constructor(
    readonly memory: WebAssembly.Memory,
    base: number,
  ) {
    const start = alignUp(base);
    this.highWater = start;
    const end = memory.buffer.byteLength;
    if (end > start) this.addFree(start, end - start);
    this.view = new Float32Array(memory.buffer);
  }

  /** A Float32Array over the whole memory; recreated after a grow detached the old one. */
  f32(): Float32Array {
    if (this.view.buffer !== this.memory.buffer) this.view = new Float32Array(this.memory.buffer);
    return this.view;
  }

  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /** Free-list operations so far (free-bins.ts): a constant number per alloc and per release,
   * whatever the number of blocks. */
  get steps(): number {
    return this.bins.steps;
  }

  /** The size in bytes of the allocated block at `start`, or undefined. */
  blockBytes(start: number): number | undefined {
    return this.used.get(start);
  }

  /** A zero-filled block of at least `bytes` bytes; throws GatedError when memory runs out. */
  alloc(bytes: number): number {
    const size = checkedSize(bytes);
    const block = this.bins.find(size);
    if (!block) return this.allocAll([bytes])[0];
    const start = this.take(block, size);
    this.zeroFill(start, size);
    return start;
  }

  /**
   * Zero-filled blocks for every request, all or none: what the free blocks cannot hold is
   * taken from the end of memory, grown once by what is missing. A total beyond the 4 GiB
   * wasm32 limit is refused (GatedError INVALID_INPUT) before memory grows.
   */
  allocAll(requests: readonly number[]): number[] {
    const sizes = requests.map(checkedSize);
    const starts = new Array<number>(sizes.length).fill(-1);
    let missing = 0;
    for (let i = 0; i < sizes.length; i++) {
      const block = this.bins.find(sizes[i]);
      if (block) starts[i] = this.take(block, sizes[i]);
      else missing += sizes[i];
    }
    if (missing > 0) {
      try {
        this.growTail(missing);
      } catch (error) {
        for (const start of starts) if (start >= 0) this.release(start);
        throw error;
      }
      const tail = this.freeByEnd.get(this.byteLength)!;
      for (let i = 0; i < sizes.length; i++) if (starts[i] < 0) starts[i] = this.take(tail, sizes[i]);
    }
    for (let i = 0; i < sizes.length; i++) this.zeroFill(starts[i], sizes[i]);
    return starts;
  }

  release(start: number): void {
    const size = this.used.get(start);
    if (size === undefined) return;
    this.used.delete(start);
    const end = start + size;
    const prev = this.freeByEnd.get(start);
    const next = this.freeByStart.get(end);
    if (prev) {
      this.bins.remove(prev);
      this.freeByEnd.delete(start);
      prev.size += size;
      if (next) {
        this.bins.remove(next);
        this.freeByStart.delete(end);
        prev.size += next.size;
      }
      this.freeByEnd.set(prev.start + prev.size, prev);
      this.bins.insert(prev);
    } else if (next) {
      this.bins.remove(next);
      this.freeByStart.delete(end);
      next.start = start;
      next.size += size;
      this.freeByStart.set(start, next);
      this.bins.insert(next);
    } else {
      this.addFree(start, size);
    }
  }

  /** Allocates `size` bytes at the start of the free `block`; the rest of it stays free (its
   * end, and so its freeByEnd entry, does not move). */
  private take(block: FreeBlock, size: number): number {
    const start = block.start;
    this.bins.remove(block);
    this.freeByStart.delete(start);
    if (block.size > size) {
      block.start += size;
      block.size -= size;
      this.freeByStart.set(block.start, block);
      this.bins.insert(block);
    } else {
      this.freeByEnd.delete(start + size);
    }
    this.used.set(start, size);
    return start;
  }

  private zeroFill(start: number, size: number): void {
    const end = start + size;
    if (start < this.highWater) this.f32().fill(0, start >>> 2, Math.min(end, this.highWater) >>> 2);
    if (end > this.highWater) this.highWater = end;
  }

  private addFree(start: number, size: number): void {
    const block: FreeBlock = { start, size, bin: 0, prev: null, next: null };
    this.freeByStart.set(start, block);
    this.freeByEnd.set(start + size, block);
    this.bins.insert(block);
  }

  /** Grows memory so that the free block at the end holds at least `bytes` bytes. */
  private growTail(bytes: number): void {
    const end = this.byteLength;
    const tail = this.freeByEnd.get(end);
    const pages = Math.ceil((bytes - (tail?.size ?? 0)) / PAGE_BYTES);
    if (pages <= 0) return;
    if (end / PAGE_BYTES + pages > MAX_PAGES) {
      throw new GatedError(
        'INVALID_INPUT',
        `allocation: expected the wasm memory to stay within 4 GiB, received requests for ${bytes} bytes more than its free blocks hold, with ${end} bytes in use`,
      );
    }
    try {
      this.memory.grow(pages);
    } catch (cause) {
      throw new GatedError(
        'BACKEND_UNAVAILABLE',
        `allocation: could not grow the wasm memory by ${pages} pages (${bytes} bytes requested)`,
        { cause },
      );
    }
    const added = pages * PAGE_BYTES;
    if (!tail) {
      this.addFree(end, added);
      return;
    }
    this.bins.remove(tail);
    this.freeByEnd.delete(end);
    tail.size += added;
    this.freeByEnd.set(end + added, tail);
    this.bins.insert(tail);
  }
}

/** A request's block size: aligned, at least one line; beyond 4 GiB is INVALID_INPUT. */
function checkedSize(bytes: number): number {
  const size = alignUp(Math.max(bytes, ALIGN));
  if (size > MAX_BYTES) {
    throw new GatedError(
      'INVALID_INPUT',
      `allocation: expected at most 4 GiB of wasm memory, received a request for ${bytes} bytes`,
    );
  }
  return size;
}

function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}
