import {
  activationDerivative,
  type CellType,
  gateCount,
  type LayerSpec,
  type LayerWeights,
} from '@gated/core';
import { type ActivationDerivative, type ActivationFunction, selectActivation } from './activation.js';
import type { Real, RealConstructor } from './real.js';

/** One layer-direction, packed once at compile time. Weights stay row-major as PyTorch
 * stores them: every output of a product is a contiguous dot product. */
export interface PackedLayer {
  readonly cell: CellType;
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** projSize || hiddenSize: the size of h. */
  readonly outputSize: number;
  /** G·H, the width of a pre-activation row. */
  readonly gateWidth: number;
  /** [G·H, I] */
  readonly weightIh: Real;
  /** [G·H, Hout] */
  readonly weightHh: Real;
  /** [G·H] b_ih + b_hh, summed once; for a resetAfter GRU the n rows hold b_in only. */
  readonly inputBias: Real;
  /** [H] b_hn of a resetAfter GRU, which must stay inside r ⊙ (W_hn·h + b_hn); zeros otherwise. */
  readonly hiddenBiasN: Real;
  /** Zeros, [max(G·H, P)]: the bias of products that have none. */
  readonly zeros: Real;
  /** [P, H] LSTM projection, or null. */
  readonly weightHr: Real | null;
  /** [3H] LSTM peepholes i, f, o; zeros when the config has none. */
  readonly peephole: Real;
  readonly hasPeephole: boolean;
  /** Clip bound, Infinity for none. */
  readonly clip: number;
  readonly coupledInputForget: boolean;
  readonly resetAfter: boolean;
  /** gate = sigmoid and candidate = cell = tanh: the step loops inline these. */
  readonly standardActivations: boolean;
  readonly gateActivation: ActivationFunction;
  readonly candidateActivation: ActivationFunction;
  readonly cellActivation: ActivationFunction;
  /** f'(x) given the (clipped) pre-activation x and y = f(x), for recording a forward; the
   * standard sigmoid/tanh path inlines y(1 − y) and 1 − y² instead. */
  readonly gateDerivative: ActivationDerivative;
  readonly candidateDerivative: ActivationDerivative;
  readonly cellDerivative: ActivationDerivative;
}

export function packLayer(spec: LayerSpec, weights: LayerWeights, Real: RealConstructor): PackedLayer {
  const { config, hiddenSize: H, outputSize: Hout } = spec;
  const gateWidth = gateCount(config.cell) * H;
  const resetAfter = config.cell === 'gru' && config.resetAfter;
  const inputBias = new Real(gateWidth);
  const hiddenBiasN = new Real(H);
  if (weights.biasIh && weights.biasHh) {
    for (let row = 0; row < gateWidth; row++) inputBias[row] = weights.biasIh[row] + weights.biasHh[row];
    if (resetAfter) {
      for (let j = 0; j < H; j++) {
        inputBias[2 * H + j] = weights.biasIh[2 * H + j];
        hiddenBiasN[j] = weights.biasHh[2 * H + j];
      }
    }
  }
  const { gate, candidate, cell } = config.activations;
  return {
    cell: config.cell,
    inputSize: spec.inputSize,
    hiddenSize: H,
    outputSize: Hout,
    gateWidth,
    weightIh: copyOf(weights.weightIh, Real),
    weightHh: copyOf(weights.weightHh, Real),
    inputBias,
    hiddenBiasN,
    zeros: new Real(Math.max(gateWidth, Hout)),
    weightHr: weights.weightHr ? copyOf(weights.weightHr, Real) : null,
    peephole: weights.weightPh ? copyOf(weights.weightPh, Real) : new Real(3 * H),
    hasPeephole: weights.weightPh !== null,
    clip: config.clip ?? Number.POSITIVE_INFINITY,
    coupledInputForget: config.coupledInputForget,
    resetAfter,
    standardActivations: gate.name === 'sigmoid' && candidate.name === 'tanh' && cell.name === 'tanh',
    gateActivation: selectActivation(gate),
    candidateActivation: selectActivation(candidate),
    cellActivation: selectActivation(cell),
    gateDerivative: activationDerivative(gate),
    candidateDerivative: activationDerivative(candidate),
    cellDerivative: activationDerivative(cell),
  };
}

function copyOf(data: Float32Array, Real: RealConstructor): Real {
  const copy = new Real(data.length);
  copy.set(data);
  return copy;
}
