import type { CellType, LayerSpec, LayerWeights } from '@gated/core';
import { type TensorActivation, tensorActivation } from './activations.js';
import type { TensorMemory } from './tensor-memory.js';
import type { TfTensor } from './tfjs-module.js';

/** One layer-direction's weights as tfjs tensors, uploaded once at compile. States run
 * feature-major ([units, B]), so every gate is a contiguous block of rows. */
export interface TfLayer {
  readonly spec: LayerSpec;
  readonly cell: CellType;
  /** 'feature': state [units, B] and W_hh · hᵀ, so gates are row blocks, which tfjs cpu,
   * webgl and webgpu hand out as views. 'batch' (tfjs wasm): state [B, units] and h · W_hhᵀ:
   * XNNPACK keeps a matMul's right operand packed between calls only while it is the same
   * tensor, so the weights must be that operand (feature-major, a stream step of an S1 GRU
   * repacked hᵀ twice per step: 160 against 44 µs), and nothing is transposed per sequence.
   * The recurrent kernels, b_hn, projection and peepholes are stored to match. */
  readonly layout: 'feature' | 'batch';
  /** [I, G·H]: W_ihᵀ, for the input projection of all steps X [T·B, I] · W_ihᵀ. */
  readonly inputKernel: TfTensor;
  /** [G·H]: b_ih + b_hh pre-summed (a resetAfter GRU keeps b_hn out), or null without bias. */
  readonly inputBias: TfTensor | null;
  /** [G·H, Hout]: W_hh, for the recurrent product W_hh · hᵀ of all gates ([Hout, G·H], W_hhᵀ,
   * in the batch layout); a GRU with resetAfter false has only the r and z rows here
   * ([2H, Hout]) and the n rows in `recurrentKernelN`. */
  readonly recurrentKernel: TfTensor;
  readonly recurrentKernelN: TfTensor | null;
  /** [H, 1] ([H] in the batch layout): b_hn of a resetAfter GRU, inside r ⊙ (W_hn·h + b_hn). */
  readonly recurrentBiasN: TfTensor | null;
  /** [P, H]: W_hr (LSTM projection); [H, P] in the batch layout. */
  readonly projection: TfTensor | null;
  /** [H, 1] each ([H] in the batch layout): LSTM peepholes. */
  readonly peepholes: { readonly i: TfTensor; readonly f: TfTensor; readonly o: TfTensor } | null;
  /** Scalars the activations use (tanh through sigmoid on tfjs wasm). */
  readonly constants: readonly TfTensor[];
  /** LSTM with sigmoid gates and tanh candidate, no peephole, clip or coupling, where tanh goes
   * through sigmoid (tfjs wasm): the g rows of W_ih, W_hh and the bias are doubled at packing
   * (exact), so one sigmoid over all four gates gives i, f, o and σ(2·a_g), and g = 2·σ(2·a_g) − 1
   * is two ops. null otherwise. */
  readonly sigmoidAllGates: { readonly one: TfTensor; readonly two: TfTensor } | null;
  readonly gate: TensorActivation;
  readonly candidate: TensorActivation;
  readonly cellOutput: TensorActivation;
  /** Clamp before every activation, or null. */
  readonly clip: number | null;
}

export function packLayer(
  memory: TensorMemory,
  spec: LayerSpec,
  weights: LayerWeights,
  options: { layout: 'feature' | 'batch'; tanhViaSigmoid: boolean },
): TfLayer {
  const { tanhViaSigmoid } = options;
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
    const constants = tanhViaSigmoid
      ? { one: upload(new Float32Array([1]), []), two: upload(new Float32Array([2]), []) }
      : null;
    const allGates =
      constants !== null &&
      config.cell === 'lstm' &&
      activations.gate.name === 'sigmoid' &&
      activations.candidate.name === 'tanh' &&
      !config.peephole &&
      !config.coupledInputForget &&
      config.clip === null;
    // PyTorch rows i, f, g, o: block 2 is g.
    const scaleG = (values: Float32Array, cols: number) =>
      allGates ? scaleBlock(values, 2 * H * cols, 3 * H * cols, 2) : values;
    const batch = options.layout === 'batch';
    const column = (values: Float32Array) => upload(values, batch ? [values.length] : [values.length, 1]);
    const recurrent = (values: Float32Array, rows: number) =>
      batch ? upload(transpose(values, rows, Hout), [Hout, rows]) : upload(values, [rows, Hout]);
    return {
      spec,
      cell: config.cell,
      inputKernel: upload(transpose(scaleG(weights.weightIh, I), G * H, I), [I, G * H]),
      inputBias: bias ? upload(scaleG(bias, 1), [G * H]) : null,
      layout: batch ? 'batch' : 'feature',
      recurrentKernel: resetBefore
        ? recurrent(weights.weightHh.subarray(0, 2 * H * Hout), 2 * H)
        : recurrent(scaleG(weights.weightHh, Hout), G * H),
      recurrentKernelN: resetBefore ? recurrent(weights.weightHh.subarray(2 * H * Hout), H) : null,
      recurrentBiasN: resetAfter && weights.biasHh ? column(weights.biasHh.subarray(2 * H, 3 * H)) : null,
      projection: weights.weightHr
        ? batch
          ? upload(transpose(weights.weightHr, Hout, H), [H, Hout])
          : upload(weights.weightHr, [Hout, H])
        : null,
      peepholes: weights.weightPh
        ? {
            i: column(weights.weightPh.subarray(0, H)),
            f: column(weights.weightPh.subarray(H, 2 * H)),
            o: column(weights.weightPh.subarray(2 * H, 3 * H)),
          }
        : null,
      constants: constants ? [constants.one, constants.two] : [],
      sigmoidAllGates: allGates ? constants : null,
      gate: tensorActivation(tf, activations.gate, constants),
      candidate: tensorActivation(tf, activations.candidate, constants),
      cellOutput: tensorActivation(tf, activations.cell, constants),
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
    ...layer.constants,
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

/** A copy of `values` with [begin, end) multiplied by `factor`. */
function scaleBlock(values: Float32Array, begin: number, end: number, factor: number): Float32Array {
  const out = values.slice();
  for (let k = begin; k < end; k++) out[k] *= factor;
  return out;
}

/** [rows, cols] row-major → [cols, rows]. */
function transpose(src: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c];
  }
  return out;
}
