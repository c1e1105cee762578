import type { CellCode } from './cell-code.js';

/** Elman RNN: h′ = act(W_ih·x + b_ih + W_hh·h + b_hh), act = the candidate activation. */
export function rnnCell(): CellCode {
  return { code: RNN, traceCount: 1, usesC: false };
}

const RNN = /* wgsl */ `
fn phase1(t: u32, tp: u32, b: u32, j: u32, acc: array<f32, GA>) {
  if (!is_active(t, b)) {
    h_set(b, j, h_prev(b, j));
    outbuf[out_at(t, b) + j] = 0.0;
    trace(0u, t, b, j, 0.0);
    return;
  }
  let h = act_cand(clip(pre_at(tp, b, j) + acc[0]));
  h_set(b, j, h);
  outbuf[out_at(t, b) + j] = h;
  trace(0u, t, b, j, h);
}
`;
