import { createRandom, GatedError, initWeights, tensor } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from './create-backend.js';
import { WasmHeap } from './heap.js';
import { kernelsUnderTest } from './kernels.test-helper.js';

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

  it('gives back every tape, scratch and transposed weight: 1,000 train/release and compile/train/dispose cycles do not grow memory', async () => {
    const backend = await createWasmBackend();
    const config = { cell: 'lstm', inputSize: 8, hiddenSize: 16, projSize: 4, peephole: true } as const;
    const weights = initWeights(config, { seed: 1 });
    const x = tensor(new Float32Array(5 * 3 * 8).fill(0.5), [5, 3, 8]);
    const model = await backend.compile(config, weights);
    const step = async (m: typeof model) => {
      const recorded = await m.recordForward(x);
      await recorded.backward({ h: tensor(new Float32Array(3 * 4).fill(1), [1, 3, 4]) });
      recorded.release();
    };
    const cycle = async () => {
      const other = await backend.compile(config, weights);
      await step(other);
      other.dispose();
    };
    await step(model);
    await cycle();
    const before = backend.memoryBytes;
    for (let i = 0; i < 1_000; i++) {
      await step(model);
      await cycle();
    }
    expect(backend.memoryBytes).toBe(before);
    model.dispose();
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
    // The gate trace alone is 5 · T · H values: 5.7 GiB.
    const error = await model
      .forward(tensor(new Float32Array(steps), [steps, 1, 1]), { returnGates: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatedError);
    expect((error as GatedError).code).toBe('INVALID_INPUT');
    expect(backend.memoryBytes).toBeLessThan(64 << 20);
    const ok = await model.forward(tensor(new Float32Array(3).fill(1), [3, 1, 1]));
    expect(ok.output.data.every(Number.isFinite)).toBe(true);
    backend.dispose();
  });

  it('disposes 20,000 streams in random order with a bounded number of free-list steps each', async () => {
    const { backend, heap } = await kernelsUnderTest();
    const config = { cell: 'gru', inputSize: 4, hiddenSize: 8 } as const;
    const model = await backend.compile(config, initWeights(config, { seed: 1 }));
    const streams = Array.from({ length: 20_000 }, () => model.stream({ batch: 1 }));
    const random = createRandom(3);
    for (let i = streams.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [streams[i], streams[j]] = [streams[j], streams[i]];
    }
    const before = heap.steps;
    for (const stream of streams) stream.dispose();
    // 3 buffers per stream, each freed with at most 3 unlinks and 1 link, however many blocks
    // are free (the former sorted list scanned half of them per free: ~10^9 steps here).
    expect(heap.steps - before).toBeLessThanOrEqual(3 * 4 * streams.length);
    const size = heap.byteLength;
    const again = Array.from({ length: 20_000 }, () => model.stream({ batch: 1 }));
    expect(heap.byteLength).toBe(size);
    for (const stream of again) stream.dispose();
    backend.dispose();
  });

  it('refuses a forward whose buffers together exceed 4 GiB before growing memory at all', async () => {
    const backend = await createWasmBackend();
    // 512 gate traces of 5 · T · 16 values: 5 GiB in all, 10 MiB each.
    const config = {
      cell: 'lstm',
      inputSize: 1,
      hiddenSize: 16,
      numLayers: 256,
      bidirectional: true,
    } as const;
    const model = await backend.compile(config, initWeights(config, { seed: 2 }));
    const small = tensor(new Float32Array(3).fill(1), [3, 1, 1]);
    const expected = (await model.forward(small)).output.data;
    const before = backend.memoryBytes;
    const steps = 32_768;
    const error = await model
      .forward(tensor(new Float32Array(steps), [steps, 1, 1]), { returnGates: true })
      .catch((e: unknown) => e);
    expect((error as GatedError).code).toBe('INVALID_INPUT');
    expect(backend.memoryBytes).toBe(before);
    expect((await model.forward(small)).output.data).toEqual(expected);
    backend.dispose();
  });

  it('runs an 8 MB input at H = 1 in memory about twice its own buffers, then runs as before', async () => {
    const backend = await createWasmBackend();
    const config = { cell: 'lstm', inputSize: 1, hiddenSize: 1 } as const;
    const model = await backend.compile(config, initWeights(config, { seed: 5 }));
    const small = tensor(
      new Float32Array(5).map((_, i) => Math.cos(i)),
      [5, 1, 1],
    );
    const expected = (await model.forward(small)).output.data;
    const before = backend.memoryBytes;
    const steps = 2 ** 21;
    const x = new Float32Array(steps).map((_, i) => Math.cos(i));
    const result = await model.forward(tensor(x, [steps, 1, 1]));
    // x and the output are 8 MiB each; projecting all steps at once took 512 MiB more.
    expect(backend.memoryBytes - before).toBeLessThan(64 << 20);
    expect(result.output.data.subarray(0, 5)).toEqual(expected);
    expect((await model.forward(small)).output.data).toEqual(expected);
    backend.dispose();
  });
});
