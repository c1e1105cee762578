import { checkBackendOptions, describeValue, GatedError } from '@gated/core';
import { SWIFTSHADER_ICD } from './gpu/node-gpu.js';
import type { WeightFormat } from './layer/layer-shape.js';
import type { PathPreference } from './sequence/plan-sequence.js';

export interface WebGpuBackendOptions {
  /** A GPUDevice to run on, shared with the rest of an app. The backend never destroys it (its
   * dispose frees only what the backend created) and leaves its uncaptured errors to the app.
   * Without it the backend asks navigator.gpu (browsers) or the `webgpu` package (Node) for the
   * best adapter and a device of its own. */
  device?: GPUDevice;
  /** How weights are stored on the device: 'f32' (default), or 'f16', which halves their memory
   * and bandwidth (two per u32, decoded to f32 in the kernels; arithmetic stays f32). Works on
   * every adapter; weights must lie within the f16 range. Results differ from f32 by the
   * rounding of the weights (see the README's tolerance). */
  weightFormat?: WeightFormat;
  /** Which recurrence kernel runs: 'auto' (default, by size; see the README), 'persistent' (one
   * dispatch per chunk of steps, where the state fits in workgroup memory; else per-step) or
   * 'per-step' (one dispatch per step). Results are the same either way. */
  recurrence?: PathPreference;
  /** Node only: where Dawn finds no adapter (a machine without a GPU), run on a software Vulkan
   * driver instead: true for Debian's SwiftShader (SWIFTSHADER_ICD, from the chromium package),
   * or the path of another driver's ICD file (e.g. Mesa's lavapipe). Default false: no adapter is
   * BACKEND_UNAVAILABLE. Software adapters are slow; they are for tests and CI. */
  softwareFallback?: boolean | string;
  /** Threads per recurrence workgroup, a power of two from 16 to the device's limit (default:
   * by hidden size, 64 to 256). Results do not depend on it. */
  workgroupSize?: number;
}

export const OPTION_KEYS = [
  'device',
  'weightFormat',
  'recurrence',
  'softwareFallback',
  'workgroupSize',
] as const;

export interface CheckedOptions {
  readonly device: GPUDevice | undefined;
  readonly weightFormat: WeightFormat;
  readonly recurrence: PathPreference;
  readonly workgroupSize: number | null;
  /** The ICD file to fall back to, or null. */
  readonly softwareFallback: string | null;
}

const BACKEND = 'webgpu';

/** Validates the factory's options (INVALID_CONFIG naming the option, as every backend does). */
export function checkWebGpuOptions(options: unknown): CheckedOptions {
  const record = checkBackendOptions(BACKEND, options, OPTION_KEYS);
  const weightFormat = record.weightFormat ?? 'f32';
  if (weightFormat !== 'f32' && weightFormat !== 'f16') {
    throw invalid('weightFormat', "'f32' or 'f16'", weightFormat);
  }
  const recurrence = record.recurrence ?? 'auto';
  if (recurrence !== 'auto' && recurrence !== 'persistent' && recurrence !== 'per-step') {
    throw invalid('recurrence', "'auto', 'persistent' or 'per-step'", recurrence);
  }
  const size = record.workgroupSize;
  if (
    size !== undefined &&
    !(
      typeof size === 'number' &&
      Number.isInteger(size) &&
      size >= 16 &&
      size <= 1024 &&
      (size & (size - 1)) === 0
    )
  ) {
    throw invalid('workgroupSize', 'a power of two from 16 to 1024', size);
  }
  const device = record.device;
  if (device !== undefined && !looksLikeDevice(device)) {
    throw invalid('device', 'a GPUDevice', device);
  }
  const fallback = record.softwareFallback ?? false;
  if (typeof fallback !== 'boolean' && !(typeof fallback === 'string' && fallback !== '')) {
    throw invalid('softwareFallback', 'true, false or the path of a Vulkan ICD file', fallback);
  }
  return {
    device: device as GPUDevice | undefined,
    softwareFallback: fallback === true ? SWIFTSHADER_ICD : fallback === false ? null : fallback,
    weightFormat,
    recurrence,
    workgroupSize: (size as number | undefined) ?? null,
  };
}

/** A workgroup size the device cannot run is INVALID_CONFIG, once the device is known. */
export function checkWorkgroupSize(size: number | null, device: GPUDevice): void {
  const max = Math.min(
    device.limits.maxComputeInvocationsPerWorkgroup,
    device.limits.maxComputeWorkgroupSizeX,
  );
  if (size !== null && size > max) {
    throw invalid('workgroupSize', `a power of two from 16 to ${max} (this device's limit)`, size);
  }
}

function looksLikeDevice(value: unknown): boolean {
  const device = value as Partial<GPUDevice> | null;
  return (
    typeof device === 'object' &&
    device !== null &&
    typeof device.createBuffer === 'function' &&
    typeof device.queue === 'object' &&
    typeof device.limits === 'object'
  );
}

function invalid(option: string, expected: string, received: unknown): GatedError {
  return new GatedError(
    'INVALID_CONFIG',
    `${BACKEND} options.${option}: expected ${expected}, received ${describeValue(received)}`,
  );
}
