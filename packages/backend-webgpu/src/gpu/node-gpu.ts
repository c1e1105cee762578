import { GatedError } from '@gated/core';

/** In a variable, not a literal: bundlers then leave the import alone; only Node reaches it. */
const WEBGPU_PACKAGE = 'webgpu';

interface WebGpuPackage {
  create(options: string[]): GPU;
}

/** One Dawn instance per process, created on first use and kept: dawn.node crashes in garbage
 * collection when the object `create()` returned is collected while its devices live, and
 * keeping it does not keep Node from exiting. */
let instance: Promise<GPU> | null = null;

/** `navigator.gpu` of Node: the npm `webgpu` package (Dawn), an optional peer dependency. */
export function nodeGpu(): Promise<GPU> {
  instance ??= load().catch((error: unknown) => {
    instance = null;
    throw error;
  });
  return instance;
}

async function load(): Promise<GPU> {
  let module: WebGpuPackage;
  try {
    module = await import(/* webpackIgnore: true */ /* @vite-ignore */ WEBGPU_PACKAGE);
  } catch (cause) {
    throw new GatedError(
      'BACKEND_UNAVAILABLE',
      `webgpu: expected the npm package 'webgpu' (Dawn) in Node, received a failed import (install it: npm install webgpu)`,
      { cause },
    );
  }
  // Dawn's globals (GPUBufferUsage, ...) are not installed: this package uses its own flag
  // constants (gpu-flags.ts), so creating a backend changes nothing global.
  return module.create([]);
}

/** Whether this is Node (read through globalThis: the package also runs where `process` is
 * neither defined nor typed). */
export function isNode(): boolean {
  const process = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  return typeof process?.versions?.node === 'string';
}
