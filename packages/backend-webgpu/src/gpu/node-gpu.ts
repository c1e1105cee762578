import { GatedError } from '@gated/core';

/** In a variable, not a literal: bundlers then leave the import alone; only Node reaches it. */
const WEBGPU_PACKAGE = 'webgpu';

interface WebGpuPackage {
  create(options: string[]): GPU;
}

/** Debian's SwiftShader, a Vulkan driver in software, shipped by its chromium package. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Dawn instances, created on first use and kept for the process: dawn.node crashes in garbage
 * collection when the object `create()` returned is collected while its devices live, and
 * keeping it does not keep Node from exiting. One for the system's Vulkan drivers, one per
 * software driver asked for. */
let instance: Promise<GPU> | null = null;
const softwareInstances = new Map<string, Promise<GPU>>();

/** `navigator.gpu` of Node: the npm `webgpu` package (Dawn), an optional peer dependency. */
export function nodeGpu(): Promise<GPU> {
  instance ??= load().then((module) => module.create([]));
  instance.catch(() => {
    instance = null;
  });
  return instance;
}

/** A Dawn instance that sees only the Vulkan driver described by the ICD file `icd`. The Vulkan
 * loader reads VK_ICD_FILENAMES when Dawn first looks for adapters, so it is set for that first
 * request only and restored after it; later requests on the instance keep the driver. */
export function softwareNodeGpu(icd: string): Promise<GPU> {
  let gpu = softwareInstances.get(icd);
  if (!gpu) {
    gpu = load().then(async (module) => {
      const env = nodeEnv();
      const previous = env.VK_ICD_FILENAMES;
      env.VK_ICD_FILENAMES = icd;
      try {
        const created = module.create([]);
        await created.requestAdapter();
        return created;
      } finally {
        if (previous === undefined) delete env.VK_ICD_FILENAMES;
        else env.VK_ICD_FILENAMES = previous;
      }
    });
    gpu.catch(() => softwareInstances.delete(icd));
    softwareInstances.set(icd, gpu);
  }
  return gpu;
}

async function load(): Promise<WebGpuPackage> {
  try {
    // Dawn's globals (GPUBufferUsage, ...) are not installed: this package uses its own flag
    // constants (gpu-flags.ts), so creating a backend changes nothing global.
    return await import(/* webpackIgnore: true */ /* @vite-ignore */ WEBGPU_PACKAGE);
  } catch (cause) {
    throw new GatedError(
      'BACKEND_UNAVAILABLE',
      `webgpu: expected the npm package 'webgpu' (Dawn) in Node, received a failed import (install it: npm install webgpu)`,
      { cause },
    );
  }
}

/** Whether this is Node (read through globalThis: the package also runs where `process` is
 * neither defined nor typed). */
export function isNode(): boolean {
  const process = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  return typeof process?.versions?.node === 'string';
}

function nodeEnv(): Record<string, string | undefined> {
  return (globalThis as unknown as { process: { env: Record<string, string | undefined> } }).process.env;
}
