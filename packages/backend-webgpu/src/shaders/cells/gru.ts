import type { LayerShape } from '../../layer/layer-shape.js';
import type { CellCode } from './cell-code.js';

/** GRU, rows r, z, n. resetAfter: one phase, n = g(a_n + r ⊙ (W_hn·h + b_hn)). resetAfter =
 * false: phase 1 computes r, z and r ⊙ h; phase 2 the product W_hn·(r ⊙ h) and n (b_hn is
 * already in the summed input bias). */
export function gruCell(shape: LayerShape): CellCode {
  return { code: shape.second === 'resetBefore' ? RESET_BEFORE : RESET_AFTER, traceCount: 3, usesC: false };
}

const MASKED = /* wgsl */ `
    h_set(b, j, h_prev(b, j));
    outbuf[out_at(t, b) + j] = 0.0;
    for (var g = 0u; g < 3u; g++) { trace(g, t, b, j, 0.0); }
    return;`;

const RESET_AFTER = /* wgsl */ `
fn phase1(t: u32, tp: u32, b: u32, j: u32, acc: array<f32, GA>) {
  if (!is_active(t, b)) {${MASKED}
  }
  let r = act_gate(clip(pre_at(tp, b, j) + acc[0]));
  let z = act_gate(clip(pre_at(tp, b, H + j) + acc[1]));
  let n = act_cand(clip(pre_at(tp, b, 2u * H + j) + r * (acc[2] + bias_hn(j))));
  let h = (1.0 - z) * n + z * h_prev(b, j);
  h_set(b, j, h);
  outbuf[out_at(t, b) + j] = h;
  trace(0u, t, b, j, r);
  trace(1u, t, b, j, z);
  trace(2u, t, b, j, n);
}
`;

const RESET_BEFORE = /* wgsl */ `
fn phase1(t: u32, tp: u32, b: u32, j: u32, acc: array<f32, GA>) {
  if (!is_active(t, b)) {
    trace(0u, t, b, j, 0.0);
    trace(1u, t, b, j, 0.0);
    return;
  }
  let r = act_gate(clip(pre_at(tp, b, j) + acc[0]));
  let z = act_gate(clip(pre_at(tp, b, H + j) + acc[1]));
  mid_set(b, j, r * h_prev(b, j));
  aux_set(b, j, z);
  trace(0u, t, b, j, r);
  trace(1u, t, b, j, z);
}

fn w2(k: u32, m: u32) -> f32 { return w_hh(k, 2u * H + m); }

fn phase2(t: u32, tp: u32, b: u32, m: u32, acc: f32) {
  if (!is_active(t, b)) {
    h_set(b, m, h_prev(b, m));
    outbuf[out_at(t, b) + m] = 0.0;
    trace(2u, t, b, m, 0.0);
    return;
  }
  let z = aux_get(b, m);
  let n = act_cand(clip(pre_at(tp, b, 2u * H + m) + acc));
  let h = (1.0 - z) * n + z * h_prev(b, m);
  h_set(b, m, h);
  outbuf[out_at(t, b) + m] = h;
  trace(2u, t, b, m, n);
}
`;
