import type { LayerShape } from '../../layer/layer-shape.js';
import type { CellCode } from './cell-code.js';

/** LSTM, rows i, f, g, o: peepholes (i, f read the old c, o the new c′), clip before every
 * activation, coupled input-forget (f = 1 − i) and projection h = W_hr·r as the second product. */
export function lstmCell(shape: LayerShape): CellCode {
  const projected = shape.second === 'projection';
  const code = /* wgsl */ `
const PEEPHOLE: bool = ${shape.peephole};
const COUPLED: bool = ${shape.coupledInputForget};
const PROJECTED: bool = ${projected};

fn phase1(t: u32, tp: u32, b: u32, j: u32, acc: array<f32, GA>) {
  if (!is_active(t, b)) {
    if (!PROJECTED) {
      h_set(b, j, h_prev(b, j));
      outbuf[out_at(t, b) + j] = 0.0;
    }
    for (var g = 0u; g < 5u; g++) { trace(g, t, b, j, 0.0); }
    return;
  }
  let c_old = c_get(b, j);
  var ai = pre_at(tp, b, j) + acc[0];
  if (PEEPHOLE) { ai += peep(0u, j) * c_old; }
  let i = act_gate(clip(ai));
  var f: f32;
  if (COUPLED) {
    f = 1.0 - i;
  } else {
    var af = pre_at(tp, b, H + j) + acc[1];
    if (PEEPHOLE) { af += peep(1u, j) * c_old; }
    f = act_gate(clip(af));
  }
  let g = act_cand(clip(pre_at(tp, b, 2u * H + j) + acc[2]));
  let c_new = f * c_old + i * g;
  var ao = pre_at(tp, b, 3u * H + j) + acc[3];
  if (PEEPHOLE) { ao += peep(2u, j) * c_new; }
  let o = act_gate(clip(ao));
  let r = o * act_cell(c_new);
  c_set(b, j, c_new);
  if (PROJECTED) {
    mid_set(b, j, r);
  } else {
    h_set(b, j, r);
    outbuf[out_at(t, b) + j] = r;
  }
  trace(0u, t, b, j, i);
  trace(1u, t, b, j, f);
  trace(2u, t, b, j, g);
  trace(3u, t, b, j, o);
  trace(4u, t, b, j, c_new);
}
${projected ? PROJECTION : ''}`;
  return { code, traceCount: 5, usesC: true };
}

/** h = W_hr·r: m < P outputs over the H values of r. */
const PROJECTION = /* wgsl */ `
fn w2(k: u32, m: u32) -> f32 { return weight(W2_OFFSET, HOUT, k, m); }

fn phase2(t: u32, tp: u32, b: u32, m: u32, acc: f32) {
  if (!is_active(t, b)) {
    h_set(b, m, h_prev(b, m));
    outbuf[out_at(t, b) + m] = 0.0;
    return;
  }
  h_set(b, m, acc);
  outbuf[out_at(t, b) + m] = acc;
}
`;
