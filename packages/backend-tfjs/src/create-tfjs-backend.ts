import { type Backend, checkBackendOptions, defineKernelBackend, INFERENCE_CAPABILITIES } from '@gated/core';
import { initialiseTfjsBackend } from './tfjs-backend-name.js';
import { createTfjsKernels } from './tfjs-kernels.js';
import { resolveTf } from './tfjs-module.js';

export interface TfjsBackendOptions {
  /** The tfjs namespace to run on (`import * as tf from '@tensorflow/tfjs'`). Default: the
   * `@tensorflow/tfjs-core` of the module graph (a peer dependency). */
  tf?: object;
  /** The tfjs backend to run on: 'cpu', 'wasm', 'webgl', 'webgpu' (each imported here when its
   * package is installed and not yet registered) or any other registered one. Default: tf's
   * current backend. */
  backend?: string;
}

/** gated on TensorFlow.js: every cell and option built from tfjs-core ops, on the tfjs backend
 * the caller runs. The backend's name is `tfjs@<tfjs backend>` ('tfjs@wasm'). */
export async function createTfjsBackend(options?: TfjsBackendOptions): Promise<Backend> {
  const given = checkBackendOptions('backend-tfjs', options, ['tf', 'backend']);
  const tf = await resolveTf(given.tf);
  const tfjsBackend = await initialiseTfjsBackend(tf, given.backend);
  return defineKernelBackend({
    name: `tfjs@${tfjsBackend}`,
    capabilities: INFERENCE_CAPABILITIES,
    kernels: createTfjsKernels(tf, tfjsBackend),
  });
}
