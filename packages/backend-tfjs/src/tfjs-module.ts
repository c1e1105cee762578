import { describeValue, GatedError, runtimeError } from '@gated/core';
import type * as TfCore from '@tensorflow/tfjs-core';

/** The TensorFlow.js API this backend uses: `@tensorflow/tfjs-core`'s namespace, or anything that
 * re-exports it (`@tensorflow/tfjs`). */
export type Tf = typeof TfCore;
export type TfTensor = TfCore.Tensor;

const REQUIRED_FUNCTIONS = [
  'tidy',
  'keep',
  'matMul',
  'setBackend',
  'getBackend',
  'engine',
  'memory',
] as const;

/** Whether `value` looks like a tfjs-core namespace (checked by the functions this backend needs). */
export function isTfModule(value: unknown): value is Tf {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return REQUIRED_FUNCTIONS.every((name) => typeof record[name] === 'function');
}

/** The caller's `tf`, or the `@tensorflow/tfjs-core` of the module graph (a peer dependency). */
export async function resolveTf(given: unknown): Promise<Tf> {
  if (given !== undefined) {
    if (isTfModule(given)) return given;
    throw new GatedError(
      'INVALID_CONFIG',
      `backend-tfjs options.tf: expected the tfjs namespace (import * as tf from '@tensorflow/tfjs'), received ${describeValue(given)}`,
    );
  }
  try {
    const module: unknown = await import('@tensorflow/tfjs-core');
    if (isTfModule(module)) return module;
    throw new Error('the module does not export the tfjs-core API');
  } catch (error) {
    throw runtimeError(
      'BACKEND_UNAVAILABLE',
      'backend-tfjs: expected @tensorflow/tfjs-core to be installed next to @gated/backend-tfjs (npm install @tensorflow/tfjs-core), or options.tf; its import failed',
      error,
    );
  }
}
