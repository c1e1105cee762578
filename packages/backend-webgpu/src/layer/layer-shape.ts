import { type ActivationSpec, type CellType, gateCount, type LayerSpec } from '@gated/core';
import { activationKey } from '../shaders/activations.js';

/** How weights are stored on the device: f32, or f16 (two per u32, decoded to f32 in the
 * kernels: half the memory and bandwidth, all arithmetic still f32). */
export type WeightFormat = 'f32' | 'f16';

/** The second product of a step, after the gates: LSTM projection h = W_hr·r, or the n gate
 * of a GRU with resetAfter = false, n = g(… + W_hn·(r ⊙ h)). */
export type SecondProduct = 'projection' | 'resetBefore' | null;

/** Everything the kernels of one layer-direction are generated from. Layers with equal keys
 * share their pipelines. */
export interface LayerShape {
  readonly cell: CellType;
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** projSize || hiddenSize: the size of h. */
  readonly outputSize: number;
  /** G·H, the width of a pre-activation row. */
  readonly gateWidth: number;
  /** Gate blocks computed from h in the first phase of a step. */
  readonly productsFromH: number;
  readonly second: SecondProduct;
  readonly peephole: boolean;
  readonly coupledInputForget: boolean;
  readonly clip: number | null;
  readonly gate: ActivationSpec;
  readonly candidate: ActivationSpec;
  readonly cellActivation: ActivationSpec;
  readonly format: WeightFormat;
  readonly key: string;
}

export function layerShape(spec: LayerSpec, format: WeightFormat): LayerShape {
  const { config, hiddenSize: H } = spec;
  const cell = config.cell;
  const resetBefore = cell === 'gru' && !config.resetAfter;
  const G = gateCount(cell);
  const second: SecondProduct =
    cell === 'lstm' && config.projSize > 0 ? 'projection' : resetBefore ? 'resetBefore' : null;
  const shape = {
    cell,
    inputSize: spec.inputSize,
    hiddenSize: H,
    outputSize: spec.outputSize,
    gateWidth: G * H,
    productsFromH: resetBefore ? 2 : G,
    second,
    peephole: cell === 'lstm' && config.peephole,
    coupledInputForget: cell === 'lstm' && config.coupledInputForget,
    clip: config.clip,
    gate: config.activations.gate,
    candidate: config.activations.candidate,
    cellActivation: config.activations.cell,
    format,
  };
  const key = [
    cell,
    `I${shape.inputSize}`,
    `H${H}`,
    `P${shape.outputSize}`,
    second ?? 'plain',
    shape.peephole ? 'peephole' : '',
    shape.coupledInputForget ? 'coupled' : '',
    shape.clip === null ? '' : `clip${Math.fround(shape.clip)}`,
    activationKey(shape.gate),
    activationKey(shape.candidate),
    activationKey(shape.cellActivation),
    format,
  ].join(';');
  return { ...shape, key };
}

/** u32 words of a k-major [K, N] matrix: one per value in f32, one per pair of rows k in f16. */
export function matrixWords(format: WeightFormat, K: number, N: number): number {
  return (format === 'f16' ? Math.ceil(K / 2) : K) * N;
}

/** Word offsets inside a layer's two weight buffers (the kernels and the packer both use it). */
export interface WeightLayout {
  /** Input buffer: W_ihᵀ [I, G·H] at 0, then the summed bias [G·H] (f32). */
  readonly inputBias: number;
  readonly inputWords: number;
  /** Recurrent buffer: W_hhᵀ [Hout, G·H] at 0, then W_hrᵀ [H, P], b_hn [H], peepholes [3H]. */
  readonly projection: number;
  readonly hiddenBiasN: number;
  readonly peephole: number;
  readonly recurrentWords: number;
}

export function weightLayout(shape: LayerShape): WeightLayout {
  const { format, inputSize: I, hiddenSize: H, outputSize: P, gateWidth: GH } = shape;
  const inputBias = matrixWords(format, I, GH);
  const projection = matrixWords(format, P, GH);
  const hiddenBiasN = projection + (shape.second === 'projection' ? matrixWords(format, H, P) : 0);
  const peephole = hiddenBiasN + (shape.cell === 'gru' && shape.second === null ? H : 0);
  return {
    inputBias,
    inputWords: inputBias + GH,
    projection,
    hiddenBiasN,
    peephole,
    recurrentWords: peephole + (shape.peephole ? 3 * H : 0),
  };
}
