import { GatedError } from '@gated/core';
import { nodeGpu } from './gpu/node-gpu.js';

/** A device of the test's own, to share with a backend (options.device) or to break on purpose. */
export async function createTestDevice(): Promise<GPUDevice> {
  const adapter = await (await nodeGpu()).requestAdapter();
  if (!adapter) {
    throw new Error(
      'no WebGPU adapter: install libvulkan1 and chromium (tools/setup-system.sh) so that Dawn finds SwiftShader',
    );
  }
  return adapter.requestDevice();
}

/** `promise`, or a rejection saying it was still pending after `ms` (no test waits forever). */
export function settleWithin<T>(promise: Promise<T>, ms = 1000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The GatedError a promise rejects with (fails the test when it resolves or throws another). */
export async function gatedErrorOf(promise: Promise<unknown>): Promise<GatedError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatedError) return error;
    throw error;
  }
  throw new Error('expected a GatedError, the call succeeded');
}
