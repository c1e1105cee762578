import {
  initWeights,
  isGatedError,
  type LayerSpec,
  layerWeightNames,
  normalizeConfig,
  type RecurrentConfig,
} from '@gated/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { BufferHandle } from './memory/buffer-handle.js';
import { createTestDevice } from './test-device.test-helper.js';
import { createWebGpuKernels, type WebGpuKernels } from './webgpu-kernels.js';

const CONFIG: RecurrentConfig = { cell: 'rnn', inputSize: 2, hiddenSize: 3 };
const normalized = normalizeConfig(CONFIG);
const weights = initWeights(CONFIG, { seed: 4 });
const SPEC: LayerSpec = {
  config: normalized,
  layer: 0,
  direction: 0,
  inputSize: 2,
  hiddenSize: 3,
  outputSize: 3,
};

let open: { kernels: WebGpuKernels; device: GPUDevice }[] = [];
afterEach(() => {
  for (const { kernels, device } of open) {
    kernels.dispose?.();
    device.destroy();
  }
  open = [];
});

async function kernelsOnTestDevice(): Promise<WebGpuKernels> {
  const device = await createTestDevice();
  const kernels = createWebGpuKernels({
    device,
    owned: false,
    weightFormat: 'f32',
    recurrence: 'auto',
    workgroupSize: null,
  });
  open.push({ kernels, device });
  return kernels;
}

function packed(kernels: WebGpuKernels) {
  const n = layerWeightNames(normalized, 0, 0);
  return kernels.packLayer(SPEC, {
    weightIh: weights[n.weightIh],
    weightHh: weights[n.weightHh],
    biasIh: weights[n.biasIh!],
    biasHh: weights[n.biasHh!],
    weightHr: null,
    weightPh: null,
  });
}

/** One step of the RNN over x [1, 1, 2] from h, output into `output`. */
function step(
  kernels: WebGpuKernels,
  layer: ReturnType<typeof packed>,
  x: BufferHandle,
  h: BufferHandle,
  output: BufferHandle,
) {
  kernels.runSequence({
    layer,
    steps: 1,
    batch: 1,
    input: x,
    output,
    outputStride: 3,
    outputOffset: 0,
    h,
    hOffset: 0,
    c: null,
    cOffset: 0,
    reverse: false,
    seqLens: null,
    gates: null,
  });
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isGatedError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

describe('webgpu kernels', () => {
  it("refuse a write past a buffer's end with INVALID_INPUT, leaving the buffer as it was", async () => {
    const kernels = await kernelsOnTestDevice();
    const buffer = kernels.alloc(4);
    kernels.write(buffer, Float32Array.of(1, 2, 3, 4));
    expect(codeOf(() => kernels.write(buffer, Float32Array.of(9, 9), 3))).toBe('INVALID_INPUT');
    expect(codeOf(() => kernels.write(buffer, Float32Array.of(9), -1))).toBe('INVALID_INPUT');
    expect([...(await kernels.read([buffer]))[0]]).toEqual([1, 2, 3, 4]);
  });

  it('give zeros from alloc, also for a reused buffer, and after zero() and partial writes', async () => {
    const kernels = await kernelsOnTestDevice();
    packed(kernels); // a live layer: freed buffers are pooled
    const first = kernels.alloc(4);
    kernels.write(first, Float32Array.of(1, 2, 3, 4));
    await kernels.read([first]);
    const live = kernels.stats().liveBuffers;
    kernels.free(first);
    const second = kernels.alloc(4);
    expect(kernels.stats().liveBuffers).toBe(live); // the same GPUBuffer again
    expect([...(await kernels.read([second]))[0]]).toEqual([0, 0, 0, 0]);
    kernels.write(second, Float32Array.of(5, 6, 7, 8));
    kernels.zero(second);
    kernels.write(second, Float32Array.of(9), 2);
    expect([...(await kernels.read([second]))[0]]).toEqual([0, 0, 9, 0]);
  });

  it('let a buffer be freed before the work that reads it is submitted', async () => {
    const kernels = await kernelsOnTestDevice();
    const layer = packed(kernels);
    const run = async (free: boolean) => {
      const x = kernels.alloc(2);
      kernels.write(x, Float32Array.of(0.5, -1));
      const h = kernels.alloc(3);
      const output = kernels.alloc(3);
      step(kernels, layer, x, h, output);
      if (free) {
        kernels.free(x);
        // Reusing the freed size now must not reach the step already encoded.
        const other = kernels.alloc(2);
        kernels.free(other);
      }
      return (await kernels.read([output]))[0];
    };
    expect(await run(true)).toEqual(await run(false));
  });

  it('submit encoded work before a write, so the write lands after it (call order)', async () => {
    const kernels = await kernelsOnTestDevice();
    const layer = packed(kernels);
    const x = kernels.alloc(2);
    kernels.write(x, Float32Array.of(0.5, -1));
    const h = kernels.alloc(3);
    const output = kernels.alloc(3);
    step(kernels, layer, x, h, output);
    const before = kernels.stats().submissions;
    kernels.write(x, Float32Array.of(100, 100));
    expect(kernels.stats().submissions).toBe(before + 1);
    const [first] = await kernels.read([output]);
    step(kernels, layer, x, h, output);
    const [second] = await kernels.read([output]);
    expect(first.every((v) => Math.abs(v) < 1)).toBe(true);
    expect(second).not.toEqual(first);
  });

  it("refuse, in reserve, a buffer beyond the device's largest binding before allocating", async () => {
    const kernels = await kernelsOnTestDevice();
    const live = kernels.stats().liveBuffers;
    const tooLong = kernels.budget.maxBindingBytes / 4 + 1;
    expect(codeOf(() => kernels.reserve?.([16, tooLong]))).toBe('INVALID_INPUT');
    expect(codeOf(() => kernels.alloc(tooLong))).toBe('INVALID_INPUT');
    expect(kernels.stats().liveBuffers).toBe(live);
  });

  it('read an empty buffer as an empty array, and refuse freed or foreign buffers', async () => {
    const kernels = await kernelsOnTestDevice();
    const empty = kernels.alloc(0);
    expect((await kernels.read([empty]))[0]).toEqual(new Float32Array(0));
    kernels.free(empty);
    expect(codeOf(() => kernels.read([empty]))).toBe('INVALID_INPUT');
    expect(codeOf(() => kernels.write({} as BufferHandle, new Float32Array(1)))).toBe('INVALID_INPUT');
  });
});
