import { type Kernels, runtimeError } from '@gated/core';
import { onBackend } from './on-backend.js';
import { layerTensors, packLayer, type TfLayer } from './pack-layer.js';
import { runSequence } from './run-sequence.js';
import { TensorBuffer } from './tensor-buffer.js';
import { TensorMemory } from './tensor-memory.js';
import type { Tf } from './tfjs-module.js';

/** core's Kernels over tfjs tensors on one tfjs backend. Buffers are pieces of immutable
 * tensors (TensorBuffer); every call runs with its tfjs backend current (onBackend); whatever
 * tfjs throws reaches the caller as a GatedError. */
export function createTfjsKernels(tf: Tf, tfjsBackend: string): Kernels<TensorBuffer, TfLayer> {
  const memory = new TensorMemory(tf);
  const run = <T>(what: string, body: () => T): T => {
    try {
      return onBackend(tf, tfjsBackend, body);
    } catch (error) {
      throw runtimeError('BACKEND_UNAVAILABLE', `backend-tfjs (${tfjsBackend}) ${what}`, error);
    }
  };
  return {
    alloc: (length) => new TensorBuffer(memory, length),
    write: (buffer, data, offset = 0) => run('write', () => buffer.write(data, offset)),
    zero: (buffer) => buffer.zero(),
    async read(buffers) {
      try {
        return await Promise.all(buffers.map((buffer) => buffer.read()));
      } catch (error) {
        throw runtimeError('BACKEND_UNAVAILABLE', `backend-tfjs (${tfjsBackend}) read`, error);
      }
    },
    free: (buffer) => buffer.clear(),
    packLayer: (spec, weights) =>
      run('compile', () => packLayer(memory, spec, weights, tfjsBackend === 'wasm')),
    freeLayer: (layer) => {
      for (const tensor of layerTensors(layer)) memory.release(tensor);
    },
    runSequence: (job) => run('forward', () => runSequence(tf, tfjsBackend, job)),
  };
}
