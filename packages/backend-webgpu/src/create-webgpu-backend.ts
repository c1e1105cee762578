import { type Backend, defineKernelBackend, INFERENCE_CAPABILITIES } from '@gated/core';
import { checkWebGpuOptions, checkWorkgroupSize, type WebGpuBackendOptions } from './backend-options.js';
import { acquireDevice } from './gpu/acquire-device.js';
import type { WebGpuStats } from './gpu/stats.js';
import type { WeightFormat } from './layer/layer-shape.js';
import type { PathPreference } from './sequence/plan-sequence.js';
import { createWebGpuKernels } from './webgpu-kernels.js';

export interface WebGpuBackend extends Backend {
  /** The device the backend runs on (the one passed in options.device, or its own). */
  readonly device: GPUDevice;
  /** The adapter's description where the environment gives one ('' for a shared device). */
  readonly adapterName: string;
  readonly weightFormat: WeightFormat;
  /** Counters of the work given to the device so far (submissions, dispatches per kernel,
   * copies, readbacks, live buffers, pipelines and bind groups built): read them before and
   * after a forward for that forward's counts. */
  readonly stats: WebGpuStats;
}

/** 'webgpu', with '@f16' for f16 weights and '@persistent' / '@per-step' for a forced path: the
 * name a conformance column or bench row shows (and package.json's gated.backends declares). */
export function backendName(weightFormat: WeightFormat, recurrence: PathPreference): string {
  return [
    'webgpu',
    ...(weightFormat === 'f16' ? ['f16'] : []),
    ...(recurrence === 'auto' ? [] : [recurrence]),
  ].join('@');
}

/** The WebGPU backend: every cell and option in WGSL kernels, on navigator.gpu in browsers and
 * on the `webgpu` package (Dawn) in Node, or on a device the app already has. A forward is one
 * submission and one readback; weights, pipelines and bind groups are built once. */
export async function createWebGpuBackend(options?: WebGpuBackendOptions): Promise<WebGpuBackend> {
  const checked = checkWebGpuOptions(options);
  const acquired = await acquireDevice({
    device: checked.device,
    softwareFallback: checked.softwareFallback,
  });
  try {
    checkWorkgroupSize(checked.workgroupSize, acquired.device);
  } catch (error) {
    if (acquired.owned) acquired.device.destroy();
    throw error;
  }
  const kernels = createWebGpuKernels({
    device: acquired.device,
    owned: acquired.owned,
    weightFormat: checked.weightFormat,
    recurrence: checked.recurrence,
    workgroupSize: checked.workgroupSize,
  });
  const backend = defineKernelBackend({
    name: backendName(checked.weightFormat, checked.recurrence),
    capabilities: INFERENCE_CAPABILITIES,
    kernels,
  });
  return Object.defineProperties(backend, {
    device: { value: acquired.device, enumerable: true },
    adapterName: { value: acquired.adapterName, enumerable: true },
    weightFormat: { value: checked.weightFormat, enumerable: true },
    stats: { get: () => kernels.stats(), enumerable: true },
  }) as WebGpuBackend;
}
