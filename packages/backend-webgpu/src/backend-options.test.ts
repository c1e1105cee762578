import { isGatedError } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { checkWebGpuOptions, checkWorkgroupSize } from './backend-options.js';

function codeAndMessage(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isGatedError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a GatedError');
}

describe('webgpu backend options', () => {
  it('default to f32 weights, the automatic path and the default workgroup size', () => {
    expect(checkWebGpuOptions(undefined)).toEqual({
      device: undefined,
      weightFormat: 'f32',
      recurrence: 'auto',
      workgroupSize: null,
      softwareFallback: null,
    });
    expect(checkWebGpuOptions({ softwareFallback: true }).softwareFallback).toBe(
      '/usr/lib/chromium/vk_swiftshader_icd.json',
    );
    expect(checkWebGpuOptions({ softwareFallback: '/opt/lvp_icd.json' }).softwareFallback).toBe(
      '/opt/lvp_icd.json',
    );
  });

  it.each([
    [{ weightFormat: 'f64' }, 'options.weightFormat'],
    [{ recurrence: 'fast' }, 'options.recurrence'],
    [{ workgroupSize: 100 }, 'options.workgroupSize'],
    [{ workgroupSize: 2048 }, 'options.workgroupSize'],
    [{ device: {} }, 'options.device'],
    [{ softwareFallback: 1 }, 'options.softwareFallback'],
    [{ weightformat: 'f16' }, 'did you mean weightFormat'],
    ['f16', 'expected an object'],
  ])('refuse %j with INVALID_CONFIG naming the option', (options, named) => {
    const { code, message } = codeAndMessage(() => checkWebGpuOptions(options));
    expect(code).toBe('INVALID_CONFIG');
    expect(message).toContain(named);
  });

  it('refuse a workgroup size above what the device runs', () => {
    const device = { limits: { maxComputeInvocationsPerWorkgroup: 256, maxComputeWorkgroupSizeX: 256 } };
    expect(() => checkWorkgroupSize(256, device as GPUDevice)).not.toThrow();
    const { code, message } = codeAndMessage(() => checkWorkgroupSize(512, device as GPUDevice));
    expect(code).toBe('INVALID_CONFIG');
    expect(message).toContain("256 (this device's limit)");
  });
});
