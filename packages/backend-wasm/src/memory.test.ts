import { GatedError, initWeights, tensor } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from './create-backend.js';
import { WasmHeap } from './heap.js';

describe('wasm memory', () => {
  it('reuses freed blocks so 10,000 compile/forward/dispose cycles do not grow memory', async () => {
    const backend = await createWasmBackend();
    const config = { cell: 'lstm', inputSize: 8, hiddenSize: 16, projSize: 4 } as const;
    const weights = initWeights(config, { seed: 1 });
    const x = tensor(new Float32Array(2 * 3 * 8).fill(0.5), [2, 3, 8]);
    const cycle = async () => {
      const model = await backend.compile(config, weights);
      await model.forward(x);
      model.dispose();
    };
    await cycle();
    const before = backend.memoryBytes;
    for (let i = 0; i < 10_000; i++) await cycle();
    expect(backend.memoryBytes).toBe(before);
    backend.dispose();
  });

  it('coalesces neighbouring free blocks into one that fits a larger request', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const heap = new WasmHeap(memory, 0);
    const a = heap.alloc(16_000);
    const b = heap.alloc(16_000);
    const c = heap.alloc(16_000);
    heap.alloc(16_000);
    heap.release(a);
    heap.release(c);
    heap.release(b);
    expect(heap.alloc(48_000)).toBe(a);
    expect(memory.buffer.byteLength).toBe(65536);
  });

  it('grows memory when nothing fits and hands out zero-filled blocks', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const heap = new WasmHeap(memory, 0);
    const a = heap.alloc(40_000);
    heap.f32().fill(7, a / 4, a / 4 + 10_000);
    heap.release(a);
    const big = heap.alloc(200_000);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(200_000);
    expect(
      heap
        .f32()
        .subarray(big / 4, big / 4 + 50_000)
        .every((v) => v === 0),
    ).toBe(true);
  });

  it('reports a request beyond 4 GiB as a GatedError and keeps the model usable', async () => {
    const backend = await createWasmBackend();
    const config = { cell: 'lstm', inputSize: 1, hiddenSize: 1024, projSize: 1 } as const;
    const model = await backend.compile(config, initWeights(config, { seed: 2 }));
    const steps = 300_000;
    const error = await model
      .forward(tensor(new Float32Array(steps), [steps, 1, 1]))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatedError);
    expect((error as GatedError).code).toBe('INVALID_INPUT');
    expect(backend.memoryBytes).toBeLessThan(64 << 20);
    const ok = await model.forward(tensor(new Float32Array(3).fill(1), [3, 1, 1]));
    expect(ok.output.data.every(Number.isFinite)).toBe(true);
    backend.dispose();
  });
});
