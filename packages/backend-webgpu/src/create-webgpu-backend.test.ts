import { INFERENCE_CAPABILITIES } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { backendName, createWebGpuBackend } from './create-webgpu-backend.js';

describe('createWebGpuBackend', () => {
  it('names the backend by the options that change its kernels', () => {
    expect(backendName('f32', 'auto')).toBe('webgpu');
    expect(backendName('f16', 'auto')).toBe('webgpu@f16');
    expect(backendName('f32', 'per-step')).toBe('webgpu@per-step');
    expect(backendName('f16', 'persistent')).toBe('webgpu@f16@persistent');
  });

  it('declares every cell, activation and feature, and shows its device and adapter', async () => {
    const backend = await createWebGpuBackend({ weightFormat: 'f16', workgroupSize: 64 });
    expect(backend.name).toBe('webgpu@f16');
    expect(backend.capabilities).toEqual(INFERENCE_CAPABILITIES);
    expect(backend.weightFormat).toBe('f16');
    expect(typeof backend.device.createBuffer).toBe('function');
    expect(backend.adapterName).not.toBe('');
    expect(backend.stats).toMatchObject({ submissions: 0, dispatches: 0, liveBuffers: 0 });
    backend.dispose();
  });

  it('refuses a workgroup size beyond the device before keeping a device of its own', async () => {
    await expect(createWebGpuBackend({ workgroupSize: 1024 })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: expect.stringContaining('options.workgroupSize'),
    });
  });
});
