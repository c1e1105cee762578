import { GatedError } from '@gated/core';

const PAGE_BYTES = 65536;
/** wasm32 address space: 65536 pages of 64 KiB = 4 GiB. */
const MAX_PAGES = 65536;
/** Blocks start on cache-line boundaries, so f32x4 rows never straddle lines needlessly. */
const ALIGN = 64;

interface FreeBlock {
  start: number;
  size: number;
}

/** A first-fit allocator over one wasm memory: a sorted free list whose neighbours coalesce on
 * free, and memory.grow when nothing fits. Byte offsets in, byte offsets out. */
export class WasmHeap {
  private readonly free: FreeBlock[] = [];
  private readonly sizes = new Map<number, number>();
  private view: Float32Array;

  constructor(
    readonly memory: WebAssembly.Memory,
    base: number,
  ) {
    const start = alignUp(base);
    this.free.push({ start, size: memory.buffer.byteLength - start });
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

  /** A block of at least `bytes` bytes (zero-filled); throws GatedError when memory runs out. */
  alloc(bytes: number): number {
    const size = alignUp(Math.max(bytes, ALIGN));
    if (size > MAX_PAGES * PAGE_BYTES) {
      throw new GatedError(
        'INVALID_INPUT',
        `allocation: expected at most 4 GiB of wasm memory, received a request for ${bytes} bytes`,
      );
    }
    let index = this.free.findIndex((b) => b.size >= size);
    if (index < 0) index = this.grow(size);
    const block = this.free[index];
    const start = block.start;
    if (block.size === size) this.free.splice(index, 1);
    else {
      block.start += size;
      block.size -= size;
    }
    this.sizes.set(start, size);
    this.f32().fill(0, start >>> 2, (start + size) >>> 2);
    return start;
  }

  release(start: number): void {
    const size = this.sizes.get(start);
    if (size === undefined) return;
    this.sizes.delete(start);
    let index = 0;
    while (index < this.free.length && this.free[index].start < start) index++;
    this.free.splice(index, 0, { start, size });
    const next = this.free[index + 1];
    if (next && start + size === next.start) {
      this.free[index].size += next.size;
      this.free.splice(index + 1, 1);
    }
    const prev = this.free[index - 1];
    if (prev && prev.start + prev.size === start) {
      prev.size += this.free[index].size;
      this.free.splice(index, 1);
    }
  }

  /** Grows memory so that a free block of `size` bytes exists at the end; returns its index. */
  private grow(size: number): number {
    const end = this.memory.buffer.byteLength;
    const last = this.free[this.free.length - 1];
    const tail = last && last.start + last.size === end ? last.size : 0;
    const pages = Math.ceil((size - tail) / PAGE_BYTES);
    const current = end / PAGE_BYTES;
    if (current + pages > MAX_PAGES) {
      throw new GatedError(
        'INVALID_INPUT',
        `allocation: expected the wasm memory to stay within 4 GiB, received a request for ${size} bytes with ${end} bytes in use`,
      );
    }
    try {
      this.memory.grow(pages);
    } catch (cause) {
      throw new GatedError(
        'BACKEND_UNAVAILABLE',
        `allocation: could not grow the wasm memory by ${pages} pages (${size} bytes requested)`,
        { cause },
      );
    }
    if (tail > 0) last.size += pages * PAGE_BYTES;
    else this.free.push({ start: end, size: pages * PAGE_BYTES });
    return this.free.length - 1;
  }
}

function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

/** Blocks that live and die together (one layer's weights, one layer's scratch): `floats`
 * allocates into the group, `release` frees every block of it. */
export class BlockGroup {
  readonly blocks: number[] = [];

  constructor(private readonly heap: WasmHeap) {}

  /** A zero-filled block of `count` f32 values; its byte offset. */
  floats(count: number): number {
    const ptr = this.heap.alloc(count * Float32Array.BYTES_PER_ELEMENT);
    this.blocks.push(ptr);
    return ptr;
  }

  release(): void {
    for (const ptr of this.blocks) this.heap.release(ptr);
    this.blocks.length = 0;
  }
}
