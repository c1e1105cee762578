// Training: what a recorded forward keeps (record*), and the per-step gate math of
// backpropagation through time (*Backward), one time step of all batch rows per call. The GEMMs
// (recurrent gradient per step, weight gradients and the input gradient over all steps) are
// gemmStrided / gemmTN, driven from src/run-backward.ts.
//
// Rows hold padded gate blocks (stride hp, a multiple of 16 floats) as in cells.ts. Row b is
// active at step t when lens == 0 or t < lens[b]. A masked row's gate gradients are written as
// zeros (the weight GEMMs run over every row) and its carried dh, dc are left alone.
//
// The activations' derivatives (gradV) live in math.ts, beside the activations.

import { activateV, gradV, onesV } from './math';
import { active, param } from './rows';

// ---------------------------------------------------------------------------------------------
// Recording (forward): pre-activations are formed exactly as the cell kernels form them, so the
// recorded values are the forward's own bits.

/** dst = a + b over `rows` rows of `cols` floats (a multiple of 4); strides in floats. */
export function recordSum(rows: i32, cols: i32, a: usize, lda: i32, b: usize, ldb: i32, dst: usize, ldd: i32): void {
  const bytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const ar = a + ((<usize>r * <usize>lda) << 2);
    const br = b + ((<usize>r * <usize>ldb) << 2);
    const dr = dst + ((<usize>r * <usize>ldd) << 2);
    for (let j: usize = 0; j < bytes; j += 16) {
      v128.store(dr + j, f32x4.add(v128.load(ar + j), v128.load(br + j)));
    }
  }
}

/** dst += p ⊙ c per row (LSTM peepholes): dst stride ldd, c stride hp, p one vector of hp. */
export function recordPeephole(rows: i32, hp: i32, dst: usize, ldd: i32, p: usize, c: usize): void {
  const bytes = <usize>hp << 2;
  for (let r = 0; r < rows; r++) {
    const dr = dst + ((<usize>r * <usize>ldd) << 2);
    const cr = c + <usize>r * bytes;
    for (let j: usize = 0; j < bytes; j += 16) {
      v128.store(dr + j, f32x4.add(v128.load(dr + j), f32x4.mul(v128.load(p + j), v128.load(cr + j))));
    }
  }
}

/** GRU reset-after: a_n = pre_n + r ⊙ hn per row (pre, r, dst stride ld; hn stride hp). */
export function recordGruCandidate(rows: i32, hp: i32, pre: usize, r: usize, hn: usize, dst: usize, ld: i32): void {
  const bytes = <usize>hp << 2;
  for (let b = 0; b < rows; b++) {
    const o = (<usize>b * <usize>ld) << 2;
    const hr = hn + <usize>b * bytes;
    for (let j: usize = 0; j < bytes; j += 16) {
      v128.store(dst + o + j, f32x4.add(v128.load(pre + o + j), f32x4.mul(v128.load(r + o + j), v128.load(hr + j))));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Backward, per step.

/** dst[b, j] += src[b, j] for j < cols and active rows: the output gradient into the carried dh
 * (strides in floats). */
export function addActiveRows(src: usize, srcStride: i32, dst: usize, dstStride: i32, rows: i32, cols: i32, t: i32, lens: usize): void {
  for (let b = 0; b < rows; b++) {
    if (!active(lens, t, b)) continue;
    const s = src + ((<usize>b * <usize>srcStride) << 2);
    const d = dst + ((<usize>b * <usize>dstStride) << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(d + o, f32x4.add(v128.load(d + o), v128.load(s + o)));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(d + o, load<f32>(d + o) + load<f32>(s + o));
    }
  }
}

/** LSTM rows i, f, g, o. dr: ∂L/∂(o ⊙ h_act(c')) [B, hp] (dh itself without projection); dh
 * [B, pp] is zeroed for active rows (the recurrent GEMM adds W_hhᵀ·dA to it next); dc [B, hp]
 * carried in, ∂L/∂c out; a, y: the step's pre-activations and gates [B, 4hp]; cPrev, cNew
 * [B, hp]; dA [B, 4hp] out; dPeep [3hp] accumulates the peephole gradients. */
export function lstmBackward(
  batch: i32, hp: i32, pp: i32, t: i32, lens: usize, dr: usize, dh: usize, dc: usize, a: usize, y: usize,
  cPrev: usize, cNew: usize, dA: usize, peep: usize, dPeep: usize, params: usize,
): void {
  const fId = <i32>param(params, 0), fA = param(params, 1), fB = param(params, 2);
  const gId = <i32>param(params, 3), gA = param(params, 4), gB = param(params, 5);
  const hId = <i32>param(params, 6), hA = param(params, 7), hB = param(params, 8);
  const clip = param(params, 9);
  const coupled = param(params, 10) != 0;
  const gate = <usize>hp << 2;
  const row = gate * 4;
  for (let b = 0; b < batch; b++) {
    const dAr = dA + <usize>b * row;
    if (!active(lens, t, b)) {
      memory.fill(dAr, 0, row);
      continue;
    }
    const ar = a + <usize>b * row, yr = y + <usize>b * row;
    const drr = dr + <usize>b * gate, dcr = dc + <usize>b * gate;
    const cpr = cPrev + <usize>b * gate, cnr = cNew + <usize>b * gate;
    for (let j: usize = 0; j < gate; j += 16) {
      const i = v128.load(yr + j), f = v128.load(yr + gate + j);
      const g = v128.load(yr + 2 * gate + j), o = v128.load(yr + 3 * gate + j);
      const cn = v128.load(cnr + j), cp = v128.load(cpr + j);
      const d = v128.load(drr + j);
      const hc = activateV(hId, cn, hA, hB);
      let dcv = f32x4.add(v128.load(dcr + j), f32x4.mul(f32x4.mul(d, o), gradV(hId, cn, hc, hA, hB, Infinity)));
      const dAo = f32x4.mul(f32x4.mul(d, hc), gradV(fId, v128.load(ar + 3 * gate + j), o, fA, fB, clip));
      if (peep != 0) {
        dcv = f32x4.add(dcv, f32x4.mul(dAo, v128.load(peep + 2 * gate + j)));
        const at = dPeep + 2 * gate + j;
        v128.store(at, f32x4.add(v128.load(at), f32x4.mul(dAo, cn)));
      }
      let di = f32x4.mul(dcv, g);
      const df = f32x4.mul(dcv, cp);
      let dcp = f32x4.mul(dcv, f);
      let dAf = f32x4.splat(0.0);
      if (coupled) di = f32x4.sub(di, df);
      else dAf = f32x4.mul(df, gradV(fId, v128.load(ar + gate + j), f, fA, fB, clip));
      const dAi = f32x4.mul(di, gradV(fId, v128.load(ar + j), i, fA, fB, clip));
      const dAg = f32x4.mul(f32x4.mul(dcv, i), gradV(gId, v128.load(ar + 2 * gate + j), g, gA, gB, clip));
      if (peep != 0) {
        dcp = f32x4.add(dcp, f32x4.add(f32x4.mul(dAi, v128.load(peep + j)), f32x4.mul(dAf, v128.load(peep + gate + j))));
        v128.store(dPeep + j, f32x4.add(v128.load(dPeep + j), f32x4.mul(dAi, cp)));
        v128.store(dPeep + gate + j, f32x4.add(v128.load(dPeep + gate + j), f32x4.mul(dAf, cp)));
      }
      v128.store(dAr + j, dAi);
      v128.store(dAr + gate + j, dAf);
      v128.store(dAr + 2 * gate + j, dAg);
      v128.store(dAr + 3 * gate + j, dAo);
      v128.store(dcr + j, dcp);
    }
    memory.fill(dh + ((<usize>b * <usize>pp) << 2), 0, <usize>pp << 2);
  }
}

/** GRU reset-after. dh [B, hp]: ∂L/∂h' in, dh' ⊙ z out (the recurrent GEMM adds the rest);
 * a, y [B, 3hp]; hPrev, hn (W_hn·h + b_hn) [B, hp]. Out: dA [B, 3hp] = the hidden side
 * [dA_r, dA_z, dhn = dA_n ⊙ r], dAn [B, hp] = the input side's n block. */
export function gruAfterBackward(
  batch: i32, hp: i32, t: i32, lens: usize, dh: usize, a: usize, y: usize, hPrev: usize, hn: usize,
  dA: usize, dAn: usize, params: usize,
): void {
  const fId = <i32>param(params, 0), fA = param(params, 1), fB = param(params, 2);
  const gId = <i32>param(params, 3), gA = param(params, 4), gB = param(params, 5);
  const clip = param(params, 9);
  const gate = <usize>hp << 2;
  const row = gate * 3;
  for (let b = 0; b < batch; b++) {
    const dAr = dA + <usize>b * row, dAnr = dAn + <usize>b * gate;
    if (!active(lens, t, b)) {
      memory.fill(dAr, 0, row);
      memory.fill(dAnr, 0, gate);
      continue;
    }
    const ar = a + <usize>b * row, yr = y + <usize>b * row;
    const dhr = dh + <usize>b * gate, hpr = hPrev + <usize>b * gate, hnr = hn + <usize>b * gate;
    for (let j: usize = 0; j < gate; j += 16) {
      const r = v128.load(yr + j), z = v128.load(yr + gate + j), n = v128.load(yr + 2 * gate + j);
      const d = v128.load(dhr + j);
      const dn = f32x4.mul(d, f32x4.sub(onesV(), z));
      const dz = f32x4.mul(d, f32x4.sub(v128.load(hpr + j), n));
      const dAnv = f32x4.mul(dn, gradV(gId, v128.load(ar + 2 * gate + j), n, gA, gB, clip));
      const dAz = f32x4.mul(dz, gradV(fId, v128.load(ar + gate + j), z, fA, fB, clip));
      const dAr0 = f32x4.mul(f32x4.mul(dAnv, v128.load(hnr + j)), gradV(fId, v128.load(ar + j), r, fA, fB, clip));
      v128.store(dAr + j, dAr0);
      v128.store(dAr + gate + j, dAz);
      v128.store(dAr + 2 * gate + j, f32x4.mul(dAnv, r));
      v128.store(dAnr + j, dAnv);
      v128.store(dhr + j, f32x4.mul(d, z));
    }
  }
}

/** GRU reset-before, phase 1: dA_z, dA_n into dA [B, 3hp] (r block: phase 2), dh = dh' ⊙ z. */
export function gruBeforeBackward1(
  batch: i32, hp: i32, t: i32, lens: usize, dh: usize, a: usize, y: usize, hPrev: usize, dA: usize, params: usize,
): void {
  const fId = <i32>param(params, 0), fA = param(params, 1), fB = param(params, 2);
  const gId = <i32>param(params, 3), gA = param(params, 4), gB = param(params, 5);
  const clip = param(params, 9);
  const gate = <usize>hp << 2;
  const row = gate * 3;
  for (let b = 0; b < batch; b++) {
    const dAr = dA + <usize>b * row;
    if (!active(lens, t, b)) {
      memory.fill(dAr, 0, row);
      continue;
    }
    const ar = a + <usize>b * row, yr = y + <usize>b * row;
    const dhr = dh + <usize>b * gate, hpr = hPrev + <usize>b * gate;
    for (let j: usize = 0; j < gate; j += 16) {
      const z = v128.load(yr + gate + j), n = v128.load(yr + 2 * gate + j);
      const d = v128.load(dhr + j);
      const dn = f32x4.mul(d, f32x4.sub(onesV(), z));
      const dz = f32x4.mul(d, f32x4.sub(v128.load(hpr + j), n));
      v128.store(dAr + gate + j, f32x4.mul(dz, gradV(fId, v128.load(ar + gate + j), z, fA, fB, clip)));
      v128.store(dAr + 2 * gate + j, f32x4.mul(dn, gradV(gId, v128.load(ar + 2 * gate + j), n, gA, gB, clip)));
      v128.store(dhr + j, f32x4.mul(d, z));
    }
  }
}

/** GRU reset-before, phase 2, given drh = W_hnᵀ·dA_n [B, hp]: dA_r = drh ⊙ h ⊙ f'(a_r),
 * dh += drh ⊙ r. */
export function gruBeforeBackward2(
  batch: i32, hp: i32, t: i32, lens: usize, drh: usize, dh: usize, a: usize, y: usize, hPrev: usize, dA: usize, params: usize,
): void {
  const fId = <i32>param(params, 0), fA = param(params, 1), fB = param(params, 2);
  const clip = param(params, 9);
  const gate = <usize>hp << 2;
  const row = gate * 3;
  for (let b = 0; b < batch; b++) {
    if (!active(lens, t, b)) continue;
    const ar = a + <usize>b * row, yr = y + <usize>b * row, dAr = dA + <usize>b * row;
    const dhr = dh + <usize>b * gate, hpr = hPrev + <usize>b * gate, drr = drh + <usize>b * gate;
    for (let j: usize = 0; j < gate; j += 16) {
      const r = v128.load(yr + j);
      const d = v128.load(drr + j);
      v128.store(dAr + j, f32x4.mul(f32x4.mul(d, v128.load(hpr + j)), gradV(fId, v128.load(ar + j), r, fA, fB, clip)));
      v128.store(dhr + j, f32x4.add(v128.load(dhr + j), f32x4.mul(d, r)));
    }
  }
}

/** Elman RNN: dA = dh ⊙ f'(a) [B, hp], dh zeroed for active rows. */
export function rnnBackward(batch: i32, hp: i32, t: i32, lens: usize, dh: usize, a: usize, y: usize, dA: usize, params: usize): void {
  const gId = <i32>param(params, 3), gA = param(params, 4), gB = param(params, 5);
  const clip = param(params, 9);
  const gate = <usize>hp << 2;
  for (let b = 0; b < batch; b++) {
    const o = <usize>b * gate;
    if (!active(lens, t, b)) {
      memory.fill(dA + o, 0, gate);
      continue;
    }
    for (let j: usize = 0; j < gate; j += 16) {
      const g = gradV(gId, v128.load(a + o + j), v128.load(y + o + j), gA, gB, clip);
      v128.store(dA + o + j, f32x4.mul(v128.load(dh + o + j), g));
    }
    memory.fill(dh + o, 0, gate);
  }
}

// ---------------------------------------------------------------------------------------------
// After the time loop.

/** out[j] += Σ_r a[r, j] for j < n (a multiple of 4): bias gradients. */
export function columnSums(a: usize, lda: i32, m: i32, n: i32, out: usize): void {
  const bytes = <usize>n << 2;
  for (let r = 0; r < m; r++) {
    const ar = a + ((<usize>r * <usize>lda) << 2);
    for (let j: usize = 0; j < bytes; j += 16) {
      v128.store(out + j, f32x4.add(v128.load(out + j), v128.load(ar + j)));
    }
  }
}

/** dst[(g·rows + j)·cols + k] += src[(g·rowsPadded + j)·ldSrc + k]: a padded gradient into
 * PyTorch's row-major layout (gate blocks of `rows` rows). */
export function addGateRows(src: usize, ldSrc: i32, dst: usize, gates: i32, rows: i32, rowsPadded: i32, cols: i32): void {
  for (let g = 0; g < gates; g++) {
    for (let j = 0; j < rows; j++) {
      const s = src + ((<usize>(g * rowsPadded + j) * <usize>ldSrc) << 2);
      const d = dst + ((<usize>(g * rows + j) * <usize>cols) << 2);
      for (let k = 0; k < cols; k++) {
        const o = <usize>k << 2;
        store<f32>(d + o, load<f32>(d + o) + load<f32>(s + o));
      }
    }
  }
}
