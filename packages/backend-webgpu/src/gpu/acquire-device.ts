import { GatedError, quote, runtimeError } from '@gated/core';
import { isNode, nodeGpu, softwareNodeGpu } from './node-gpu.js';

export interface AcquiredDevice {
  readonly device: GPUDevice;
  /** Created here, so destroyed by the backend's dispose; a device the user passed is not. */
  readonly owned: boolean;
  /** The adapter's own description, for reports ('' where the browser hides it). */
  readonly adapterName: string;
}

export interface AcquireOptions {
  readonly device?: GPUDevice;
  /** Node: where Dawn finds no adapter, the ICD file of a software Vulkan driver to try. */
  readonly softwareFallback?: string | null;
  /** The GPU to ask for an adapter (tests pass a stand-in); else navigator.gpu, else Dawn. */
  readonly gpu?: GPU;
}

/** Limits this backend raises to the adapter's maximum on a device of its own: bigger buffers
 * and workgroup memory let more models run in one dispatch (persistent path). */
const RAISED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
] as const;

const NO_ADAPTER_HINT =
  'a machine without a GPU needs a software Vulkan driver: on Debian apt-get install libvulkan1 chromium and set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json';

/** The device a backend runs on: the user's (shared, never destroyed here) or a new one on the
 * best adapter of navigator.gpu (browsers) or Dawn (Node). Every failure is BACKEND_UNAVAILABLE
 * with the adapter's reason. */
export async function acquireDevice(options: AcquireOptions): Promise<AcquiredDevice> {
  if (options.device !== undefined) return { device: options.device, owned: false, adapterName: '' };
  let adapter = await requestAdapter(options.gpu ?? (await findGpu()));
  const fallback = options.softwareFallback ?? null;
  if (adapter === null && fallback !== null && isNode()) {
    adapter = await requestAdapter(await softwareNodeGpu(fallback));
    if (adapter === null) {
      throw new GatedError(
        'BACKEND_UNAVAILABLE',
        `webgpu: expected a WebGPU adapter or the software Vulkan driver of ${quote(fallback, 80)}, received neither (${NO_ADAPTER_HINT})`,
      );
    }
  }
  if (adapter === null) {
    throw new GatedError(
      'BACKEND_UNAVAILABLE',
      `webgpu: expected a WebGPU adapter, received none${isNode() ? ` (${NO_ADAPTER_HINT}, or pass softwareFallback: true)` : ' (this browser or machine offers no WebGPU adapter)'}`,
    );
  }
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) {
    const value = adapter.limits[name];
    if (typeof value === 'number') requiredLimits[name] = value;
  }
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ label: 'gated', requiredLimits });
  } catch (error) {
    throw runtimeError('BACKEND_UNAVAILABLE', 'webgpu: requestDevice failed', error);
  }
  return { device, owned: true, adapterName: describeAdapter(adapter) };
}

async function requestAdapter(gpu: GPU): Promise<GPUAdapter | null> {
  try {
    return await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    throw runtimeError('BACKEND_UNAVAILABLE', 'webgpu: requestAdapter failed', error);
  }
}

async function findGpu(): Promise<GPU> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (gpu) return gpu;
  if (isNode()) return nodeGpu();
  throw new GatedError(
    'BACKEND_UNAVAILABLE',
    'webgpu: expected navigator.gpu, received none (this environment has no WebGPU)',
  );
}

function describeAdapter(adapter: GPUAdapter): string {
  const info = adapter.info as Partial<GPUAdapterInfo> | undefined;
  if (!info) return '';
  return [info.vendor, info.architecture, info.description].filter((part) => part).join(' ');
}
