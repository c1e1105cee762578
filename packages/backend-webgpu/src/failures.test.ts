import { initWeights, type RecurrentConfig, tensor } from '@gated/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferUsage } from './gpu/gpu-flags.js';
import { createWebGpuBackend } from './index.js';
import { createTestDevice, gatedErrorOf, settleWithin } from './test-device.test-helper.js';
import { createWebGpuKernels } from './webgpu-kernels.js';

const CONFIG: RecurrentConfig = { cell: 'lstm', inputSize: 3, hiddenSize: 4 };
const WEIGHTS = initWeights(CONFIG, { seed: 5 });
const X = tensor(new Float32Array(2 * 2 * 3).fill(0.5), [2, 2, 3]);

/** Rejections nobody handled while these tests ran (a device failure must never cause one). */
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  await new Promise((resolve) => setTimeout(resolve, 50));
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

/** The message of the next uncaptured error event of `device`. */
function nextUncapturedError(device: GPUDevice): Promise<string> {
  return new Promise((resolve) => {
    const listener = (event: Event) => {
      device.removeEventListener('uncapturederror', listener);
      resolve((event as GPUUncapturedErrorEvent).error.message);
    };
    device.addEventListener('uncapturederror', listener);
  });
}

describe('a lost device', () => {
  it('fails the next forward with BACKEND_UNAVAILABLE and the reason, within a second', async () => {
    const device = await createTestDevice();
    const backend = await createWebGpuBackend({ device });
    const model = await backend.compile(CONFIG, WEIGHTS);
    await model.forward(X);
    device.destroy();
    const error = await settleWithin(gatedErrorOf(model.forward(X)));
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
    expect(error.message).toMatch(/^webgpu: /);
    backend.dispose();
  });

  it('fails a forward already in flight within a second, never leaving it pending', async () => {
    const device = await createTestDevice();
    const backend = await createWebGpuBackend({ device });
    const model = await backend.compile(CONFIG, WEIGHTS);
    const pending = model.forward(X);
    device.destroy();
    const error = await settleWithin(gatedErrorOf(pending));
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
    backend.dispose();
  });

  it("fails every later call of the backend's own device with the loss and its reason", async () => {
    const backend = await createWebGpuBackend();
    const model = await backend.compile(CONFIG, WEIGHTS);
    backend.device.destroy();
    await backend.device.lost;
    const forward = await settleWithin(gatedErrorOf(model.forward(X)));
    expect(forward.code).toBe('BACKEND_UNAVAILABLE');
    expect(forward.message).toContain('webgpu: the device was lost (destroyed)');
    const compile = await settleWithin(gatedErrorOf(backend.compile(CONFIG, WEIGHTS)));
    expect(compile.code).toBe('BACKEND_UNAVAILABLE');
    expect(() => model.stream({ batch: 2 })).toThrowError(
      expect.objectContaining({ code: 'BACKEND_UNAVAILABLE' }),
    );
    backend.dispose();
  });
});

describe('a validation error', () => {
  it("in the backend's own work becomes a GatedError with the device's message, within a second", async () => {
    const device = await createTestDevice();
    const kernels = createWebGpuKernels({
      device,
      owned: false,
      weightFormat: 'f32',
      recurrence: 'auto',
      workgroupSize: null,
    });
    const buffer = kernels.alloc(8);
    // Behind the kernels' back: the readback's copy now uses a destroyed buffer.
    buffer.allocation.gpu.destroy();
    const error = await settleWithin(gatedErrorOf(kernels.read([buffer])));
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
    expect(error.message).toMatch(/^webgpu: submitting work: device error: .*destroyed/i);
    // The device itself is fine: the next read works.
    const other = kernels.alloc(4);
    kernels.write(other, Float32Array.of(1, 2, 3, 4));
    expect([...(await settleWithin(kernels.read([other])))[0]]).toEqual([1, 2, 3, 4]);
    kernels.dispose?.();
    device.destroy();
  });

  it("left uncaptured on the backend's own device fails the next call once, with its message", async () => {
    const backend = await createWebGpuBackend();
    const model = await backend.compile(CONFIG, WEIGHTS);
    // The error arrives as an event; the backend's listener, added first, has seen it when ours does.
    const delivered = nextUncapturedError(backend.device);
    backend.device.createBuffer({ size: 4, usage: BufferUsage.MAP_READ | BufferUsage.STORAGE });
    await settleWithin(delivered);
    const error = await settleWithin(gatedErrorOf(model.forward(X)));
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
    expect(error.message).toMatch(/^webgpu: uncaptured device error: .*usage/i);
    await expect(settleWithin(model.forward(X))).resolves.toHaveProperty('output');
    backend.dispose();
  });

  it("on a shared device is left to the device's owner", async () => {
    const device = await createTestDevice();
    const backend = await createWebGpuBackend({ device });
    const model = await backend.compile(CONFIG, WEIGHTS);
    const delivered = nextUncapturedError(device);
    device.createBuffer({ size: 4, usage: BufferUsage.MAP_READ | BufferUsage.STORAGE });
    expect(await settleWithin(delivered)).toMatch(/usage/i);
    await expect(settleWithin(model.forward(X))).resolves.toHaveProperty('output');
    backend.dispose();
    device.destroy();
  });
});
