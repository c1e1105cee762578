import {
  activationFunction,
  type CellType,
  GatedError,
  gateCount,
  layerInputSize,
  layerWeightNames,
  type NormalizedConfig,
  outputSize,
} from '@gated/core';

/** One layer-direction's parameters in float64, with its activations resolved. */
export interface ReferenceLayer {
  readonly cell: CellType;
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** projSize || hiddenSize */
  readonly outputSize: number;
  /** [G·H, I] */
  readonly weightIh: Float64Array;
  /** [G·H, Hout] */
  readonly weightHh: Float64Array;
  readonly biasIh: Float64Array | null;
  readonly biasHh: Float64Array | null;
  /** [P, H] */
  readonly weightHr: Float64Array | null;
  /** [3H] peepholes i, f, o */
  readonly weightPh: Float64Array | null;
  readonly clip: number | null;
  readonly coupledInputForget: boolean;
  readonly resetAfter: boolean;
  readonly gateActivation: (x: number) => number;
  readonly candidateActivation: (x: number) => number;
  readonly cellActivation: (x: number) => number;
}

/** One layer-direction's tensors, in any numeric array type. */
export interface LayerTensors {
  readonly weightIh: ArrayLike<number>;
  readonly weightHh: ArrayLike<number>;
  readonly biasIh: ArrayLike<number> | null;
  readonly biasHh: ArrayLike<number> | null;
  readonly weightHr: ArrayLike<number> | null;
  readonly weightPh: ArrayLike<number> | null;
}

const toF64 = (a: ArrayLike<number> | null): Float64Array | null =>
  a === null ? null : Float64Array.from(a);

export function referenceLayer(
  config: NormalizedConfig,
  layer: number,
  tensors: LayerTensors,
): ReferenceLayer {
  return {
    cell: config.cell,
    inputSize: layerInputSize(config, layer),
    hiddenSize: config.hiddenSize,
    outputSize: outputSize(config),
    weightIh: Float64Array.from(tensors.weightIh),
    weightHh: Float64Array.from(tensors.weightHh),
    biasIh: toF64(tensors.biasIh),
    biasHh: toF64(tensors.biasHh),
    weightHr: toF64(tensors.weightHr),
    weightPh: toF64(tensors.weightPh),
    clip: config.clip,
    coupledInputForget: config.cell === 'lstm' && config.coupledInputForget,
    resetAfter: config.resetAfter,
    gateActivation: activationFunction(config.activations.gate),
    candidateActivation: activationFunction(config.activations.candidate),
    cellActivation: activationFunction(config.activations.cell),
  };
}

/** Picks one layer-direction's tensors out of a PyTorch-named weight record, checking that each
 * exists with the expected number of values (the reference accepts plain number arrays, so it
 * cannot use core's Float32Array-only validation). */
export function referenceLayerFromWeights(
  config: NormalizedConfig,
  weights: Readonly<Record<string, ArrayLike<number>>>,
  layer: number,
  direction: number,
): ReferenceLayer {
  const names = layerWeightNames(config, layer, direction);
  const GH = gateCount(config.cell) * config.hiddenSize;
  const take = (name: string | null, size: number): ArrayLike<number> | null => {
    if (name === null) return null;
    const w = weights[name];
    if (w === undefined || typeof w.length !== 'number') {
      throw new GatedError(
        'INVALID_WEIGHTS',
        `weights.${name}: expected ${size} values, received nothing (missing)`,
      );
    }
    if (w.length !== size) {
      throw new GatedError(
        'INVALID_WEIGHTS',
        `weights.${name}: expected ${size} values, received ${w.length}`,
      );
    }
    return w;
  };
  return referenceLayer(config, layer, {
    weightIh: take(names.weightIh, GH * layerInputSize(config, layer))!,
    weightHh: take(names.weightHh, GH * outputSize(config))!,
    biasIh: take(names.biasIh, GH),
    biasHh: take(names.biasHh, GH),
    weightHr: take(names.weightHr, config.projSize * config.hiddenSize),
    weightPh: take(names.weightPh, 3 * config.hiddenSize),
  });
}
