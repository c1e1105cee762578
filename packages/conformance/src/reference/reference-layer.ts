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

/** One layer-direction's tensors in PyTorch layout (row-major), each a T; null for a tensor
 * the config lacks. */
export interface LayerTensorSet<T> {
  /** [G·H, I] */
  readonly weightIh: T;
  /** [G·H, Hout] */
  readonly weightHh: T;
  readonly biasIh: T | null;
  readonly biasHh: T | null;
  /** [P, H] */
  readonly weightHr: T | null;
  /** [3H] peepholes i, f, o */
  readonly weightPh: T | null;
}

/** One layer-direction's parameters in float64, with its activations resolved. */
export interface ReferenceLayer extends LayerTensorSet<Float64Array> {
  readonly cell: CellType;
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** projSize || hiddenSize */
  readonly outputSize: number;
  readonly clip: number | null;
  readonly coupledInputForget: boolean;
  readonly resetAfter: boolean;
  readonly gateActivation: (x: number) => number;
  readonly candidateActivation: (x: number) => number;
  readonly cellActivation: (x: number) => number;
}

/** One layer-direction's tensors, in any numeric array type. */
export type LayerTensors = LayerTensorSet<ArrayLike<number>>;

/** `make(name, size)` for each of one layer-direction's tensors, in PyTorch `state_dict`
 * order: its PyTorch name and number of values (null where the config has no such tensor). */
export function mapLayerTensors<T>(
  config: NormalizedConfig,
  layer: number,
  direction: number,
  make: (name: string, size: number) => T,
): LayerTensorSet<T> {
  const names = layerWeightNames(config, layer, direction);
  const GH = gateCount(config.cell) * config.hiddenSize;
  const optional = (name: string | null, size: number): T | null => (name === null ? null : make(name, size));
  return {
    weightIh: make(names.weightIh, GH * layerInputSize(config, layer)),
    weightHh: make(names.weightHh, GH * outputSize(config)),
    biasIh: optional(names.biasIh, GH),
    biasHh: optional(names.biasHh, GH),
    weightHr: optional(names.weightHr, config.projSize * config.hiddenSize),
    weightPh: optional(names.weightPh, 3 * config.hiddenSize),
  };
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
  const tensors = mapLayerTensors(config, layer, direction, (name, size) => {
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
  });
  return referenceLayer(config, layer, tensors);
}
