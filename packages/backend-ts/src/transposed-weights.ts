import type { PackedLayer } from './pack-layer.js';
import type { Real, RealConstructor } from './real.js';

/** The weights the backward multiplies by on their other side, transposed once (on a layer's
 * first backward) so that every product of the backward is a row-by-row dot product:
 * dh_prev = dA·W_hh and dx = dA·W_ih become dA·(W_hhᵀ)ᵀ and dA·(W_ihᵀ)ᵀ. */
export interface TransposedWeights {
  /** [I, G·H] */
  readonly ih: Real;
  /** [Hout, G·H]; for a resetAfter GRU the columns run n, r, z, the order of the hidden-side
   * gradients [∂hn, dA_r, dA_z] in its gate-gradient rows (one product for all three). */
  readonly hh: Real;
  /** [H, P] projection, or null. */
  readonly hr: Real | null;
}

export function transposeWeights(layer: PackedLayer, Real: RealConstructor): TransposedWeights {
  const H = layer.hiddenSize;
  const GH = layer.gateWidth;
  const I = layer.inputSize;
  const Hout = layer.outputSize;
  const nFirst = layer.cell === 'gru' && layer.resetAfter;
  const ih = transpose(layer.weightIh, GH, I, Real);
  const hh = new Real(Hout * GH);
  for (let column = 0; column < GH; column++) {
    const row = nFirst ? (column < H ? 2 * H + column : column - H) : column;
    for (let k = 0; k < Hout; k++) hh[k * GH + column] = layer.weightHh[row * Hout + k];
  }
  const hr = layer.weightHr === null ? null : transpose(layer.weightHr, Hout, H, Real);
  return { ih, hh, hr };
}

/** [rows, cols] → [cols, rows]. */
function transpose(m: Real, rows: number, cols: number, Real: RealConstructor): Real {
  const out = new Real(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < cols; k++) out[k * rows + r] = m[r * cols + k];
  }
  return out;
}
