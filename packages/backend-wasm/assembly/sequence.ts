// A whole recurrence for a range of batch rows in one call: every step's recurrent GEMM, gate
// math and output copy run inside wasm. Batch rows never interact, so threads each run their
// own rows' sequence with no hand-off per step (src/parallel-kernels.ts); on one thread it
// saves the JS ↔ wasm calls of every step. Used when no gate trace is asked for and the LSTM
// has no projection (src/run-sequence.ts); the input projection is done before.
//
// The steps run are first … first + steps − 1 of the sequence (a chunk of it: the input
// projection is done chunk by chunk, src/run-sequence.ts); seqLens compare with those indices.
// pre: row 0's projected input at step `first`, preStep bytes per step; out likewise (outStep
// bytes per step, outStride floats per row); rec, h, c: this range's rows of the scratch.

import { copyRows, gruCellResetAfter, gruNewState, gruResetGates, lstmCell, rnnCell } from './cells';
import { gemm } from './gemm';

const LSTM = 0;
const GRU_RESET_AFTER = 1;
const GRU_RESET_BEFORE = 2;
const RNN = 3;

export function runRecurrence(
  cell: i32, first: i32, steps: i32, reverse: bool, batch: i32, hidden: i32, hp: i32, lens: usize,
  pre: usize, preStep: usize, w: usize, biasRec: usize, rec: usize, h: usize, c: usize, rh: usize,
  peep: usize, params: usize, out: usize, outStep: usize, outStride: i32,
): void {
  const gatePanels = hp >> 4;
  const n = cell == LSTM ? 4 * hp : cell == RNN ? hp : 3 * hp;
  const panels = n >> 4;
  for (let s = 0; s < steps; s++) {
    const local = reverse ? steps - 1 - s : s;
    const t = first + local;
    const preT = pre + <usize>local * preStep;
    if (cell == GRU_RESET_BEFORE) {
      gemm(h, hp, batch, hidden, w, 0, 2 * gatePanels, biasRec, 0, rec, n);
      gruResetGates(batch, hp, t, lens, preT, rec, h, rh, params);
      gemm(rh, hp, batch, hidden, w, 2 * gatePanels, panels, biasRec, 0, rec, n);
      gruNewState(batch, hp, t, lens, preT, rec, h, params);
    } else {
      gemm(h, hp, batch, hidden, w, 0, panels, biasRec, 0, rec, n);
      if (cell == LSTM) lstmCell(batch, hp, t, lens, preT, rec, c, h, peep, params);
      else if (cell == GRU_RESET_AFTER) gruCellResetAfter(batch, hp, t, lens, preT, rec, h, params);
      else rnnCell(batch, hp, t, lens, preT, rec, h, params);
    }
    copyRows(h, hp, out + <usize>local * outStep, outStride, batch, hidden, t, lens, true);
  }
}
