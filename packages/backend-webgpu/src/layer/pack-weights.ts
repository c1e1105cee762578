import { GatedError, type LayerWeights } from '@gated/core';
import { HALF_MAX, toHalfBits } from './half-float.js';
import { type LayerShape, type WeightFormat, weightLayout } from './layer-shape.js';

/** A layer's weights as the kernels read them: two u32 arrays (f32 bits, or f16 pairs). */
export interface PackedWeights {
  /** W_ihᵀ [I, G·H], then the summed bias [G·H]. */
  readonly input: Uint32Array<ArrayBuffer>;
  /** W_hhᵀ [Hout, G·H], then W_hrᵀ [H, P], b_hn [H], peepholes [3H] (those the layer has). */
  readonly recurrent: Uint32Array<ArrayBuffer>;
}

/** Tensor names for messages: which weight a value outside the f16 range came from. */
export interface WeightNames {
  readonly weightIh: string;
  readonly weightHh: string;
  readonly weightHr: string | null;
}

/** Packs PyTorch-layout tensors k-major ([K, N]: at a fixed k, the N outputs are adjacent, so
 * neighbouring threads read neighbouring words). b_ih + b_hh are summed once (in f32); a GRU with
 * resetAfter keeps b_hn apart, inside r ⊙ (W_hn·h + b_hn). */
export function packWeights(shape: LayerShape, weights: LayerWeights, names: WeightNames): PackedWeights {
  const layout = weightLayout(shape);
  const { inputSize: I, hiddenSize: H, outputSize: P, gateWidth: GH, format } = shape;
  const input = new Uint32Array(layout.inputWords);
  const inputFloats = new Float32Array(input.buffer);
  writeMatrix(input, 0, weights.weightIh, GH, I, format, names.weightIh);
  const resetAfter = shape.cell === 'gru' && shape.second === null;
  if (weights.biasIh && weights.biasHh) {
    for (let n = 0; n < GH; n++) {
      const hiddenPart = resetAfter && n >= 2 * H ? 0 : weights.biasHh[n];
      inputFloats[layout.inputBias + n] = weights.biasIh[n] + hiddenPart;
    }
  }

  const recurrent = new Uint32Array(layout.recurrentWords);
  const recurrentFloats = new Float32Array(recurrent.buffer);
  writeMatrix(recurrent, 0, weights.weightHh, GH, P, format, names.weightHh);
  if (shape.second === 'projection' && weights.weightHr) {
    writeMatrix(recurrent, layout.projection, weights.weightHr, P, H, format, names.weightHr ?? 'weight_hr');
  }
  if (resetAfter && weights.biasHh) {
    for (let j = 0; j < H; j++) recurrentFloats[layout.hiddenBiasN + j] = weights.biasHh[2 * H + j];
  }
  if (shape.peephole && weights.weightPh) recurrentFloats.set(weights.weightPh, layout.peephole);
  return { input, recurrent };
}

/** Writes row-major `matrix` [rows, cols] transposed, as [cols, rows] (k-major), at word `at`. */
function writeMatrix(
  out: Uint32Array,
  at: number,
  matrix: Float32Array,
  rows: number,
  cols: number,
  format: WeightFormat,
  name: string,
): void {
  if (format === 'f32') {
    const floats = new Float32Array(out.buffer, at * 4, rows * cols);
    for (let n = 0; n < rows; n++) {
      for (let k = 0; k < cols; k++) floats[k * rows + n] = matrix[n * cols + k];
    }
    return;
  }
  // f16: rows k and k + 1 of the k-major matrix share a word (k in the low half).
  for (let n = 0; n < rows; n++) {
    for (let k = 0; k < cols; k += 2) {
      const low = half(matrix[n * cols + k], name);
      const high = k + 1 < cols ? half(matrix[n * cols + k + 1], name) : 0;
      out[at + (k >> 1) * rows + n] = low | (high << 16);
    }
  }
}

function half(value: number, name: string): number {
  if (!(Math.abs(value) < HALF_MAX + 16)) {
    throw new GatedError(
      'INVALID_WEIGHTS',
      `${name}: expected values within the f16 range (|w| < 65520) for weightFormat 'f16', received ${value}`,
    );
  }
  return toHalfBits(value);
}
