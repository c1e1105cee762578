import { createRandom, type GatedError } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { WasmHeap } from './heap.js';

function shuffled<T>(items: T[], seed: number): T[] {
  const random = createRandom(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** n blocks of mixed sizes (64 B … 8 KiB), the heap and the free-list steps they took. */
function allocated(n: number) {
  // Memory for all of them from the start (≤ 8 KiB each): the test counts free-list steps,
  // not memory.grow calls.
  const heap = new WasmHeap(new WebAssembly.Memory({ initial: Math.ceil((n * 8192) / 65536) }), 0);
  const random = createRandom(n);
  const starts = Array.from({ length: n }, () => heap.alloc(64 * (1 + Math.floor(random() * 128))));
  return { heap, starts };
}

describe('wasm heap', () => {
  it('frees blocks in any order with a bounded number of free-list steps each', () => {
    // The former sorted list scanned ~n/2 blocks per free: 10^8 steps for 20,000 blocks.
    for (const n of [2_000, 20_000]) {
      const { heap, starts } = allocated(n);
      // A free: at most 3 unlinks and 1 link. An alloc: at most 8 blocks of its own class and
      // 7 bitmap words looked at, 1 unlink and 1 link.
      let before = heap.steps;
      for (const start of shuffled(starts, 5)) heap.release(start);
      expect(heap.steps - before).toBeLessThanOrEqual(4 * n);
      before = heap.steps;
      for (let i = 0; i < n; i++) heap.alloc(64 * (1 + (i % 128)));
      expect(heap.steps - before).toBeLessThanOrEqual(17 * n);
    }
  });

  it('merges every freed block back into one, whatever the order', () => {
    const { heap, starts } = allocated(5_000);
    const size = heap.byteLength;
    for (const start of shuffled(starts, 6)) heap.release(start);
    // One free block spans the whole memory again: a request for all of it fits without growing.
    expect(heap.alloc(size)).toBe(0);
    expect(heap.byteLength).toBe(size);
  });

  it('reuses freed blocks of the same sizes without growing', () => {
    const { heap, starts } = allocated(3_000);
    const size = heap.byteLength;
    const sizes = starts.map((start) => heap.blockBytes(start)!);
    for (let round = 0; round < 5; round++) {
      const order = shuffled([...starts.keys()], round);
      for (const i of order) heap.release(starts[i]);
      for (const i of order) starts[i] = heap.alloc(sizes[i]);
    }
    expect(heap.byteLength).toBe(size);
  });

  it('allocates a set of blocks all or none, growing memory once', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const heap = new WasmHeap(memory, 0);
    let grows = 0;
    const grow = memory.grow.bind(memory);
    memory.grow = (pages: number) => {
      grows++;
      return grow(pages);
    };
    const starts = heap.allocAll([100_000, 30_000, 200_000, 64]);
    expect(grows).toBe(1);
    const ends = starts.map((s, i) => s + [100_000, 30_000, 200_000, 64][i]);
    for (let i = 0; i < starts.length; i++)
      for (let j = 0; j < starts.length; j++)
        if (i !== j) expect(ends[i] <= starts[j] || ends[j] <= starts[i]).toBe(true);
    const size = heap.byteLength;
    let error: unknown;
    try {
      heap.allocAll([2 ** 31, 2 ** 31]);
    } catch (caught) {
      error = caught;
    }
    expect((error as GatedError).code).toBe('INVALID_INPUT');
    expect(grows).toBe(1);
    expect(heap.byteLength).toBe(size);
    // What was free before the refused request still is: it fits without growing.
    heap.release(starts[2]);
    expect(heap.alloc(200_000)).toBe(starts[2]);
  });

  it('zero-fills reused blocks but not memory fresh from memory.grow', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const heap = new WasmHeap(memory, 0);
    const a = heap.alloc(1024);
    heap.f32().fill(5, a / 4, (a + 1024) / 4);
    heap.release(a);
    const fill = Float32Array.prototype.fill;
    let filled = 0;
    Float32Array.prototype.fill = function (this: Float32Array, ...args: Parameters<typeof fill>) {
      filled += (args[2] ?? this.length) - (args[1] ?? 0);
      return fill.apply(this, args);
    };
    try {
      const big = heap.alloc(4 << 20);
      // Only the 1 KiB written before is cleared, not the 4 MiB grown.
      expect(filled).toBe(256);
      expect(
        heap
          .f32()
          .subarray(big / 4, (big + (4 << 20)) / 4)
          .every((v) => v === 0),
      ).toBe(true);
    } finally {
      Float32Array.prototype.fill = fill;
    }
  });
});
