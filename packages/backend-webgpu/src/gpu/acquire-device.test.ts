import { describe, expect, it } from 'vitest';
import { gatedErrorOf } from '../test-device.test-helper.js';
import { acquireDevice } from './acquire-device.js';

/** A stand-in for navigator.gpu whose adapter request does what the test says. */
function fakeGpu(requestAdapter: () => Promise<GPUAdapter | null>): GPU {
  return { requestAdapter } as unknown as GPU;
}

describe('acquireDevice', () => {
  it('says BACKEND_UNAVAILABLE, and how to get a software adapter, when there is no adapter', async () => {
    const error = await gatedErrorOf(acquireDevice({ gpu: fakeGpu(async () => null) }));
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
    expect(error.message).toContain('expected a WebGPU adapter, received none');
    expect(error.message).toContain('VK_ICD_FILENAMES');
  });

  it("passes on the adapter's reason when the request fails", async () => {
    const error = await gatedErrorOf(
      acquireDevice({ gpu: fakeGpu(() => Promise.reject(new Error('driver crashed\n at /usr/lib/x.so'))) }),
    );
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
    expect(error.message).toBe('webgpu: requestAdapter failed: driver crashed');
  });

  it("passes on the device's reason when requestDevice fails", async () => {
    const adapter = {
      limits: { maxBufferSize: 1024 },
      requestDevice: () => Promise.reject(new Error('limit exceeded')),
    } as unknown as GPUAdapter;
    const error = await gatedErrorOf(acquireDevice({ gpu: fakeGpu(async () => adapter) }));
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
    expect(error.message).toBe('webgpu: requestDevice failed: limit exceeded');
  });

  it('falls back to a software Vulkan driver where asked to, in Node', async () => {
    const acquired = await acquireDevice({
      gpu: fakeGpu(async () => null),
      softwareFallback: '/usr/lib/chromium/vk_swiftshader_icd.json',
    });
    expect(acquired.owned).toBe(true);
    expect(acquired.adapterName).toMatch(/swiftshader/i);
    acquired.device.destroy();
    const error = await gatedErrorOf(
      acquireDevice({ gpu: fakeGpu(async () => null), softwareFallback: '/nonexistent/icd.json' }),
    );
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
    expect(error.message).toContain('the software Vulkan driver of "/nonexistent/icd.json"');
  });

  it('uses a device it is given as it is, and does not own it', async () => {
    const device = { label: 'mine' } as GPUDevice;
    expect(await acquireDevice({ device })).toEqual({ device, owned: false, adapterName: '' });
  });
});
