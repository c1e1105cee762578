import type { CellType, LayerSpec, LayerWeights } from '@gated/core';
import { type TensorActivation, tensorActivation } from './activations.js';
import type { TensorMemory } from './tensor-memory.js';
import type { TfTensor } from './tfjs-module.js';

/** One layer-direction's weights as tfjs tensors, uploaded once at compile. States run
 * feature-major ([units, B]), so every gate is a contiguous block of rows. */
export interface TfLayer {
  readonly spec: LayerSpec;
  readonly cell: CellType;
  /** [I, G·H]: W_ihᵀ, for the input projection of all steps X [T·B, I] · W_ihᵀ. */
  readonly inputKernel: TfTensor;
  /** [G·H]: b_ih + b_hh pre-summed (a resetAfter GRU keeps b_hn out), or null without bias. */
  readonly inputBias: TfTensor | null;
  /** [G·H, Hout]: W_hh, for the recurrent product W_hh · hᵀ of all gates; a GRU with resetAfter
   * false has only the r and z rows here ([2H, Hout]) and the n rows in `recurrentKernelN`. */
  readonly recurrentKernel: TfTensor;
  readonly recurrentKernelN: TfTensor | null;
  /** [H, 1]: b_hn of a resetAfter GRU, inside r ⊙ (W_hn·h + b_hn). */
  readonly recurrentBiasN: TfTensor | null;
  /** [P, H]: W_hr (LSTM projection). */
  readonly projection: TfTensor | null;
  /** [H, 1] each: LSTM peepholes. */
  readonly peepholes: { readonly i: TfTensor; readonly f: TfTensor; readonly o: TfTensor } | null;
  readonly gate: TensorActivation;
  readonly candidate: TensorActivation;
  readonly cellOutput: TensorActivation;
  /** Clamp before every activation, or null. */
  readonly clip: number | null;
}

export function packLayer(memory: TensorMemory, spec: LayerSpec, weights: LayerWeights): TfLayer {
  const { tf } = memory;
  const { config, inputSize: I, hiddenSize: H, outputSize: Hout } = spec;
  const G = weights.weightIh.length / (H * I);
  const owned: TfTensor[] = [];
  const upload = (values: Float32Array, shape: number[]): TfTensor => {
    const tensor = memory.own(tf.tensor(values, shape, 'float32'));
    owned.push(tensor);
    return tensor;
  };
  try {
    const resetAfter = config.cell === 'gru' && config.resetAfter;
    const resetBefore = config.cell === 'gru' && !config.resetAfter;
    const bias = summedInputBias(weights, H, resetAfter);
    const { activations } = config;
    return {
      spec,
      cell: config.cell,
      inputKernel: upload(transpose(weights.weightIh, G * H, I), [I, G * H]),
      inputBias: bias ? upload(bias, [G * H]) : null,
      recurrentKernel: resetBefore
        ? upload(weights.weightHh.subarray(0, 2 * H * Hout), [2 * H, Hout])
        : upload(weights.weightHh, [G * H, Hout]),
      recurrentKernelN: resetBefore ? upload(weights.weightHh.subarray(2 * H * Hout), [H, Hout]) : null,
      recurrentBiasN:
        resetAfter && weights.biasHh ? upload(weights.biasHh.subarray(2 * H, 3 * H), [H, 1]) : null,
      projection: weights.weightHr ? upload(weights.weightHr, [Hout, H]) : null,
      peepholes: weights.weightPh
        ? {
            i: upload(weights.weightPh.subarray(0, H), [H, 1]),
            f: upload(weights.weightPh.subarray(H, 2 * H), [H, 1]),
            o: upload(weights.weightPh.subarray(2 * H, 3 * H), [H, 1]),
          }
        : null,
      gate: tensorActivation(tf, activations.gate),
      candidate: tensorActivation(tf, activations.candidate),
      cellOutput: tensorActivation(tf, activations.cell),
      clip: config.clip,
    };
  } catch (error) {
    for (const tensor of owned) memory.release(tensor);
    throw error;
  }
}

export function layerTensors(layer: TfLayer): TfTensor[] {
  const tensors = [
    layer.inputKernel,
    layer.inputBias,
    layer.recurrentKernel,
    layer.recurrentKernelN,
    layer.recurrentBiasN,
    layer.projection,
    ...(layer.peepholes ? [layer.peepholes.i, layer.peepholes.f, layer.peepholes.o] : []),
  ];
  return tensors.filter((t): t is TfTensor => t !== null);
}

/** b_ih + b_hh in f32, except the n block of a resetAfter GRU, whose b_hn stays inside
 * r ⊙ (W_hn·h + b_hn) and so is not added here. */
function summedInputBias(weights: LayerWeights, H: number, resetAfter: boolean): Float32Array | null {
  const { biasIh, biasHh } = weights;
  if (!biasIh || !biasHh) return null;
  const sum = new Float32Array(biasIh.length);
  for (let k = 0; k < sum.length; k++) {
    sum[k] = resetAfter && k >= 2 * H ? biasIh[k] : biasIh[k] + biasHh[k];
  }
  return sum;
}

/** [rows, cols] row-major → [cols, rows]. */
function transpose(src: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c];
  }
  return out;
}
