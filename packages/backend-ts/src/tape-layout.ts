import type { PackedLayer } from './pack-layer.js';

/**
 * What a recorded forward keeps for its backward, in one tape buffer. Rows are (t, b) in
 * time-major order, t·B + b, so each region is a [T·B, width] matrix that the weight gradients
 * after the time loop multiply in one GEMM each. Rows of masked steps are never written (the
 * tape is allocated zeroed) and their gradients are zero.
 *
 * - `previous` [T·B, Hout]: h before the step (h0 at a row's first step).
 * - `cell` [T·B, planes·H]: per row, `planes` blocks of H values, the step's local derivatives
 *   with the activation derivatives and the clip mask already folded in, so that the backward
 *   needs no activation function and no branch per option:
 *   - LSTM (6 planes, 8 with peepholes): kI = g·i'·mask (coupled: (g − c)·i'·mask),
 *     kF = c·f'·mask (coupled: 0), kG = i·g'·mask, kO = h_act(c')·o'·mask, f, e = o·h_act'(c');
 *     peepholes add c and c'. Then dA_i = dc'·kI, dA_o = dr·kO, dc' += dr·e + dA_o·p_o.
 *   - GRU (5 planes): z, kZ = (h − n)·z'·mask, kN = (1 − z)·n'·mask, r, kR = hn·r'·mask
 *     (resetAfter, hn = W_hn·h + b_hn) or h·r'·mask (resetBefore).
 *   - RNN (1 plane): act'(a)·mask.
 * - `extra` [T·B, H]: LSTM with projection: r = o ⊙ h_act(c') (for ∂W_hr); resetBefore GRU:
 *   r ⊙ h (for ∂W_hn). Absent otherwise.
 */
export interface TapeLayout {
  readonly previous: number;
  readonly cell: number;
  readonly planes: number;
  readonly extra: number | null;
  readonly length: number;
}

/** The LSTM planes, in tape order. */
export const LSTM_PLANE = { kI: 0, kF: 1, kG: 2, kO: 3, f: 4, e: 5, c: 6, cNew: 7 } as const;
/** The GRU planes, in tape order. */
export const GRU_PLANE = { z: 0, kZ: 1, kN: 2, r: 3, kR: 4 } as const;

export function cellPlanes(layer: PackedLayer): number {
  if (layer.cell === 'lstm') return layer.hasPeephole ? 8 : 6;
  if (layer.cell === 'gru') return 5;
  return 1;
}

export function tapeLayout(layer: PackedLayer, steps: number, batch: number): TapeLayout {
  const rows = steps * batch;
  const H = layer.hiddenSize;
  const planes = cellPlanes(layer);
  const previous = 0;
  const cell = rows * layer.outputSize;
  const afterCell = cell + rows * planes * H;
  const hasExtra = layer.weightHr !== null || (layer.cell === 'gru' && !layer.resetAfter);
  return {
    previous,
    cell,
    planes,
    extra: hasExtra ? afterCell : null,
    length: afterCell + (hasExtra ? rows * H : 0),
  };
}
