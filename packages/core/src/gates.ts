import type { CellType } from './config.js';

/** The gate contract: the rows of each cell's weight matrices, in the PyTorch order used
 * everywhere in gated. Other orders exist only inside converters. */
export const GATE_ROWS = {
  lstm: ['i', 'f', 'g', 'o'],
  gru: ['r', 'z', 'n'],
  rnn: ['h'],
} as const satisfies Record<CellType, readonly string[]>;

/** The per-step values a gate trace reports: post-activation gates, plus the LSTM cell state c. */
export const GATE_TRACE = {
  lstm: ['i', 'f', 'g', 'o', 'c'],
  gru: ['r', 'z', 'n'],
  rnn: ['h'],
} as const satisfies Record<CellType, readonly string[]>;

/** Number of gate row blocks G: 4 (LSTM), 3 (GRU), 1 (RNN). */
export function gateCount(cell: CellType): number {
  return GATE_ROWS[cell].length;
}

export function gateTraceNames(cell: CellType): readonly string[] {
  return GATE_TRACE[cell];
}
