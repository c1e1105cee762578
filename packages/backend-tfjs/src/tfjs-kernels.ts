import { GatedError, type Kernels, runtimeError } from '@gated/core';
import { onBackend } from './on-backend.js';
import { layerTensors, packLayer, type TfLayer } from './pack-layer.js';
import { runSequence } from './run-sequence.js';
import { TensorBuffer } from './tensor-buffer.js';
import { TensorMemory } from './tensor-memory.js';
import type { Tf } from './tfjs-module.js';

/** tfjs' wasm backend lives in one 32-bit WebAssembly memory (4 GiB), and a failed allocation
 * there aborts the module for good. A request is refused up front when its buffers, with room for
 * the sequence's intermediates (the input projection of all steps and its transpose, the stacked
 * outputs: about 4× the buffers), would not fit beside what tfjs holds already. */
const WASM_MEMORY_BYTES = 2 ** 32;
const WORKING_FACTOR = 4;

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
    reserve(lengths) {
      if (tfjsBackend !== 'wasm') return;
      const bytes = 4 * WORKING_FACTOR * lengths.reduce((sum, n) => sum + n, 0);
      const held = tf.memory().numBytes;
      if (bytes + held > WASM_MEMORY_BYTES) {
        throw new GatedError(
          'INVALID_INPUT',
          `x: expected a request that fits tfjs wasm's 4 GiB memory beside the ${held} bytes it holds, received one needing about ${bytes} bytes (split the batch or the sequence)`,
        );
      }
    },
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
      run('compile', () =>
        packLayer(memory, spec, weights, {
          layout: tfjsBackend === 'wasm' ? 'batch' : 'feature',
          tanhViaSigmoid: tfjsBackend === 'wasm',
        }),
      ),
    freeLayer: (layer) => {
      for (const tensor of layerTensors(layer)) memory.release(tensor);
    },
    runSequence: (job) => run('forward', () => runSequence(tf, tfjsBackend, job)),
  };
}
