import type { WasmLayer } from './layer.js';

/**
 * What a recorded forward keeps for its backward (`SequenceJob.tape`), per step t and batch row
 * b, in padded rows (f32 offsets into the tape; each region is [T, B, width], row (t, b) at
 * offset + (t·B + b)·width; -1 when the cell has none):
 * - `a`: the gate pre-activations as the forward formed them (before clip; peepholes
 *   included), [T, B, G·hp];
 * - `y`: the activated gates (i, f, g, o / r, z, n / h'), [T, B, G·hp];
 * - `hPrev`: the state the step read, [T, B, pp];
 * - LSTM `cPrev`, `cNew` [T, B, hp]; with a projection `r` = o ⊙ h_act(c') [T, B, hp];
 * - GRU `extra` [T, B, hp]: reset-after W_hn·h + b_hn, reset-before r ⊙ h.
 * Every row is written at every step (masked rows too, with values the backward ignores).
 */
export interface TapeLayout {
  readonly a: number;
  readonly y: number;
  readonly hPrev: number;
  readonly cPrev: number;
  readonly cNew: number;
  readonly r: number;
  readonly extra: number;
  readonly length: number;
}

export function tapeLayout(layer: WasmLayer, steps: number, batch: number): TapeLayout {
  const { columns: N, hiddenPadded: hp, outputPadded: pp } = layer;
  const rows = steps * batch;
  let at = 0;
  const take = (width: number, present = true): number => {
    if (!present) return -1;
    const offset = at;
    at += rows * width;
    return offset;
  };
  const lstm = layer.cell === 'lstm';
  return {
    a: take(N),
    y: take(N),
    hPrev: take(pp),
    cPrev: take(hp, lstm),
    cNew: take(hp, lstm),
    r: take(hp, lstm && layer.weightHr !== 0),
    extra: take(hp, layer.cell === 'gru'),
    get length() {
      return at;
    },
  };
}
