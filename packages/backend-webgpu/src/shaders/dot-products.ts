/** The two dot products of a step as WGSL, register-blocked in the generated text: one scalar
 * accumulator per (gate, batch row), one load per weight shared by the rows, the loop over k
 * the only loop. (Arrays indexed in loops would leave unrolling to the driver's compiler, and
 * not every compiler does it.) Each accumulator sums k = 0, 1, … in order from 0.0, so every
 * kernel and every workgroup size computes the same value bit for bit. */

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** `dot_h(b0, j)`: acc[g·ROWS + q] = Σ_k h_prev(b0 + q, k)·W_hh[g·H + j, k], k < HOUT. */
export function dotH(gates: number, rows: number): string {
  const pairs = range(gates).flatMap((g) => range(rows).map((q) => `a${g}_${q}`));
  return /* wgsl */ `
fn dot_h(b0: u32, j: u32) -> array<f32, ${gates * rows}> {
  let last = params.batch - 1u;
  ${pairs.map((a) => `var ${a} = 0.0;`).join(' ')}
  for (var k = 0u; k < HOUT; k++) {
    ${range(rows)
      .map((q) => `let h${q} = h_prev(min(b0 + ${q}u, last), k);`)
      .join('\n    ')}
    ${range(gates)
      .map((g) => `let w${g} = w_hh(k, ${g}u * H + j);`)
      .join('\n    ')}
    ${range(gates)
      .flatMap((g) => range(rows).map((q) => `a${g}_${q} += h${q} * w${g};`))
      .join('\n    ')}
  }
  return array<f32, ${gates * rows}>(${pairs.join(', ')});
}

fn gates_of(acc: array<f32, ${gates * rows}>, q: u32) -> array<f32, GA> {
  var a: array<f32, GA>;
  for (var g = 0u; g < GA; g++) { a[g] = acc[g * ROWS + q]; }
  return a;
}`;
}

/** `dot_mid(b0, m)`: acc[q] = Σ_k mid_get(b0 + q, k)·w2(k, m), k < H (second product). */
export function dotMid(rows: number): string {
  return /* wgsl */ `
fn dot_mid(b0: u32, m: u32) -> array<f32, ROWS> {
  let last = params.batch - 1u;
  ${range(rows)
    .map((q) => `var a${q} = 0.0;`)
    .join(' ')}
  for (var k = 0u; k < H; k++) {
    let w = w2(k, m);
    ${range(rows)
      .map((q) => `a${q} += mid_get(min(b0 + ${q}u, last), k) * w;`)
      .join('\n    ')}
  }
  return array<f32, ROWS>(${range(rows)
    .map((q) => `a${q}`)
    .join(', ')});
}`;
}
