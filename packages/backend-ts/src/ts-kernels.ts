import { GatedError, type Kernels, typedArrayLength } from '@gated/core';
import { createGradientWorkspace } from './gradient-workspace.js';
import { type PackedLayer, packLayer } from './pack-layer.js';
import type { Real, RealConstructor } from './real.js';
import { runSequence } from './run-sequence.js';
import { runSequenceBackward } from './run-sequence-backward.js';
import { tapeLayout } from './tape-layout.js';
import { type TransposedWeights, transposeWeights } from './transposed-weights.js';
import { createWorkspace } from './workspace.js';

export type Precision = 'f32' | 'f64';

/** Kernels over typed arrays in this process: f32 buffers (arithmetic in double, stored as
 * f32), or f64 buffers for a float64 run whose inputs and outputs are still f32. */
export function createTsKernels(precision: Precision = 'f32'): Kernels<Real, PackedLayer> {
  const Real: RealConstructor = precision === 'f64' ? Float64Array : Float32Array;
  const workspace = createWorkspace(Real);
  const gradientWorkspace = createGradientWorkspace(Real);
  // Transposed weights for the backward, made on a layer's first backward and kept with it.
  const transposed = new WeakMap<PackedLayer, TransposedWeights>();
  const transposedOf = (layer: PackedLayer): TransposedWeights => {
    let weights = transposed.get(layer);
    if (weights === undefined) {
      weights = transposeWeights(layer, Real);
      transposed.set(layer, weights);
    }
    return weights;
  };
  return {
    alloc(length: number): Real {
      try {
        return new Real(length);
      } catch (error) {
        throw new GatedError(
          'BACKEND_UNAVAILABLE',
          `alloc: expected memory for ${length} values of ${Real.name}, received an allocation failure`,
          { cause: error },
        );
      }
    },
    write(buffer: Real, data: Float32Array, offset = 0): void {
      // Defence in depth: core hands us its own validated copy, but a write that does not fit
      // is a GatedError, never a RangeError from deep inside.
      const length = typedArrayLength(data);
      if (!(Number.isInteger(offset) && offset >= 0 && offset + length <= buffer.length)) {
        throw new GatedError(
          'INVALID_INPUT',
          `write: expected ${length} values at offset ${offset} to fit a buffer of ${buffer.length}, received a write past its end`,
        );
      }
      buffer.set(data, offset);
    },
    zero(buffer: Real): void {
      buffer.fill(0);
    },
    async read(buffers: readonly Real[]): Promise<Float32Array[]> {
      return buffers.map((buffer) => new Float32Array(buffer));
    },
    free(): void {
      // Typed arrays are garbage-collected.
    },
    packLayer: (spec, weights) => packLayer(spec, weights, Real),
    freeLayer(layer: PackedLayer): void {
      // Packed weights are garbage-collected; the transposed ones go with the layer.
      transposed.delete(layer);
    },
    runSequence: (job) => runSequence(job, workspace),
    tapeLength: (layer, steps, batch) => tapeLayout(layer, steps, batch).length,
    runSequenceBackward: (job) => runSequenceBackward(job, gradientWorkspace, transposedOf(job.layer)),
    dispose: () => {
      workspace.release();
      gradientWorkspace.release();
    },
  };
}
