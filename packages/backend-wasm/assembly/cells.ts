// Per-step gate math for one time step of all batch rows. Rows hold padded gate blocks
// (stride hp, a multiple of 16), so every loop is whole pairs of f32x4 vectors; the padding
// columns are never read back as results. Batch row b is active at step t when lens == 0 or
// t < lens[b]; inactive rows are left untouched (they keep their state).
//
// Each row runs in short passes (activate a contiguous gate block, then combine) rather than
// one fused loop: a fused loop with five inlined activations spilled registers and ran ~2.5×
// slower than its parts. The activation of a block is chosen once per block, not per vector.
//
// params: activation ids and parameters, clip, coupled input-forget (rows.ts param).

import { activateV, clipV, onesV, SIGMOID, sigmoidV, TANH, tanhV } from './math';
import { active, param } from './rows';


@inline function sum(a: usize, b: usize, offset: usize): v128 {
  return f32x4.add(v128.load(a + offset), v128.load(b + offset));
}

/** dst = act(clip(a + b)) over `bytes` (a multiple of 32). Sigmoid and tanh without clip, the
 * defaults, run two independent vectors per iteration; dst may be a or b. */
@noinline function sumActivate(id: i32, a: usize, b: usize, dst: usize, bytes: usize, alpha: f32, beta: f32, clip: f32): void {
  if (clip == Infinity && id == SIGMOID) {
    for (let j: usize = 0; j < bytes; j += 32) {
      const x0 = sum(a, b, j), x1 = sum(a, b, j + 16);
      v128.store(dst + j, sigmoidV(x0));
      v128.store(dst + j, sigmoidV(x1), 16);
    }
  } else if (clip == Infinity && id == TANH) {
    for (let j: usize = 0; j < bytes; j += 32) {
      const x0 = sum(a, b, j), x1 = sum(a, b, j + 16);
      v128.store(dst + j, tanhV(x0));
      v128.store(dst + j, tanhV(x1), 16);
    }
  } else {
    for (let j: usize = 0; j < bytes; j += 16) {
      v128.store(dst + j, activateV(id, clipV(sum(a, b, j), clip), alpha, beta));
    }
  }
}

/** LSTM rows i, f, g, o. Writes the activated gates back into rec (for traces), c' into c and
 * o ⊙ h_act(c') into hOut (the hidden state, or the projection input). */
export function lstmCell(batch: i32, hp: i32, t: i32, lens: usize, pre: usize, rec: usize, c: usize, hOut: usize, peep: usize, params: usize): void {
  if (peep != 0 || param(params, 10) != 0) {
    lstmCellFused(batch, hp, t, lens, pre, rec, c, hOut, peep, params);
    return;
  }
  const fId = <i32>param(params, 0), fA = param(params, 1), fB = param(params, 2);
  const gId = <i32>param(params, 3), gA = param(params, 4), gB = param(params, 5);
  const hId = <i32>param(params, 6), hA = param(params, 7), hB = param(params, 8);
  const clip = param(params, 9);
  const gate = <usize>hp << 2;
  const row = gate * 4;
  for (let b = 0; b < batch; b++) {
    if (!active(lens, t, b)) continue;
    const pr = pre + <usize>b * row, rr = rec + <usize>b * row;
    sumActivate(fId, pr, rr, rr, 2 * gate, fA, fB, clip);
    sumActivate(gId, pr + 2 * gate, rr + 2 * gate, rr + 2 * gate, gate, gA, gB, clip);
    sumActivate(fId, pr + 3 * gate, rr + 3 * gate, rr + 3 * gate, gate, fA, fB, clip);
    lstmCombine(hId, rr, c + <usize>b * gate, hOut + <usize>b * gate, gate, hA, hB);
  }
}

@inline function lstmState(gates: usize, gate: usize, c: usize, j: usize): v128 {
  const i = v128.load(gates + j), f = v128.load(gates + gate + j), g = v128.load(gates + 2 * gate + j);
  return f32x4.add(f32x4.mul(f, v128.load(c + j)), f32x4.mul(i, g));
}

/** c' = f ⊙ c + i ⊙ g into c, o ⊙ act(c') into h, from one row's activated gates. */
@noinline function lstmCombine(id: i32, gates: usize, c: usize, h: usize, gate: usize, alpha: f32, beta: f32): void {
  const o = gates + 3 * gate;
  if (id == TANH) {
    for (let j: usize = 0; j < gate; j += 32) {
      const c0 = lstmState(gates, gate, c, j), c1 = lstmState(gates, gate, c, j + 16);
      v128.store(c + j, c0);
      v128.store(c + j, c1, 16);
      v128.store(h + j, f32x4.mul(v128.load(o + j), tanhV(c0)));
      v128.store(h + j, f32x4.mul(v128.load(o + j, 16), tanhV(c1)), 16);
    }
  } else {
    for (let j: usize = 0; j < gate; j += 16) {
      const cNew = lstmState(gates, gate, c, j);
      v128.store(c + j, cNew);
      v128.store(h + j, f32x4.mul(v128.load(o + j), activateV(id, cNew, alpha, beta)));
    }
  }
}

/** The general LSTM step (peepholes, coupled input-forget) in one fused loop. */
@noinline function lstmCellFused(batch: i32, hp: i32, t: i32, lens: usize, pre: usize, rec: usize, c: usize, hOut: usize, peep: usize, params: usize): void {
  const fId = <i32>param(params, 0), fA = param(params, 1), fB = param(params, 2);
  const gId = <i32>param(params, 3), gA = param(params, 4), gB = param(params, 5);
  const hId = <i32>param(params, 6), hA = param(params, 7), hB = param(params, 8);
  const clip = param(params, 9);
  const coupled = param(params, 10) != 0;
  const gate = <usize>hp << 2;
  const row = gate * 4;
  for (let b = 0; b < batch; b++) {
    if (!active(lens, t, b)) continue;
    const pr = pre + <usize>b * row, rr = rec + <usize>b * row;
    const cr = c + <usize>b * gate, hr = hOut + <usize>b * gate;
    for (let j: usize = 0; j < gate; j += 16) {
      const cOld = v128.load(cr + j);
      let ai = sum(pr, rr, j);
      let af = sum(pr, rr, gate + j);
      const ag = sum(pr, rr, 2 * gate + j);
      let ao = sum(pr, rr, 3 * gate + j);
      if (peep != 0) {
        ai = f32x4.add(ai, f32x4.mul(v128.load(peep + j), cOld));
        af = f32x4.add(af, f32x4.mul(v128.load(peep + gate + j), cOld));
      }
      const i = activateV(fId, clipV(ai, clip), fA, fB);
      const f = coupled ? f32x4.sub(f32x4.splat(1.0), i) : activateV(fId, clipV(af, clip), fA, fB);
      const g = activateV(gId, clipV(ag, clip), gA, gB);
      const cNew = f32x4.add(f32x4.mul(f, cOld), f32x4.mul(i, g));
      if (peep != 0) ao = f32x4.add(ao, f32x4.mul(v128.load(peep + 2 * gate + j), cNew));
      const o = activateV(fId, clipV(ao, clip), fA, fB);
      v128.store(rr + j, i);
      v128.store(rr + gate + j, f);
      v128.store(rr + 2 * gate + j, g);
      v128.store(rr + 3 * gate + j, o);
      v128.store(cr + j, cNew);
      v128.store(hr + j, f32x4.mul(o, activateV(hId, cNew, hA, hB)));
    }
  }
}

/** GRU with the reset gate applied after the recurrent product: rec holds W_h·h + b_h for
 * r, z, n (b_hn included). Writes r, z, n back into rec and h' into h. */
export function gruCellResetAfter(batch: i32, hp: i32, t: i32, lens: usize, pre: usize, rec: usize, h: usize, params: usize): void {
  const fId = <i32>param(params, 0), fA = param(params, 1), fB = param(params, 2);
  const gId = <i32>param(params, 3), gA = param(params, 4), gB = param(params, 5);
  const clip = param(params, 9);
  const gate = <usize>hp << 2;
  const row = gate * 3;
  for (let b = 0; b < batch; b++) {
    if (!active(lens, t, b)) continue;
    const pr = pre + <usize>b * row, rr = rec + <usize>b * row;
    sumActivate(fId, pr, rr, rr, 2 * gate, fA, fB, clip);
    gruCandidateAfter(gId, pr, rr, h + <usize>b * gate, gate, gA, gB, clip);
  }
}

/** h' = (1 − z) ⊙ n + z ⊙ h, n given: the reference's formula, so an unbounded candidate
 * that overflowed (n = ±Inf, z < 1) gives ±Inf; n + z ⊙ (h − n) gave Inf − Inf = NaN. */
@inline function gruBlend(z: v128, n: v128, h: usize, j: usize): v128 {
  return f32x4.add(f32x4.mul(f32x4.sub(onesV(), z), n), f32x4.mul(z, v128.load(h + j)));
}

/** n = act(pre_n + r ⊙ rec_n) into rec's n block, h' into h (reset-after, r and z activated). */
@noinline function gruCandidateAfter(id: i32, pr: usize, rr: usize, h: usize, gate: usize, alpha: f32, beta: f32, clip: f32): void {
  const n: usize = gate << 1;
  if (clip == Infinity && id == TANH) {
    for (let j: usize = 0; j < gate; j += 32) {
      const a0 = f32x4.add(v128.load(pr + n + j), f32x4.mul(v128.load(rr + j), v128.load(rr + n + j)));
      const a1 = f32x4.add(v128.load(pr + n + j, 16), f32x4.mul(v128.load(rr + j, 16), v128.load(rr + n + j, 16)));
      const n0 = tanhV(a0), n1 = tanhV(a1);
      v128.store(rr + n + j, n0);
      v128.store(rr + n + j, n1, 16);
      v128.store(h + j, gruBlend(v128.load(rr + gate + j), n0, h, j));
      v128.store(h + j, gruBlend(v128.load(rr + gate + j, 16), n1, h, j + 16), 16);
    }
  } else {
    for (let j: usize = 0; j < gate; j += 16) {
      const an = f32x4.add(v128.load(pr + n + j), f32x4.mul(v128.load(rr + j), v128.load(rr + n + j)));
      const nj = activateV(id, clipV(an, clip), alpha, beta);
      v128.store(rr + n + j, nj);
      v128.store(h + j, gruBlend(v128.load(rr + gate + j), nj, h, j));
    }
  }
}

/** GRU reset-before, phase 1 (rec holds r, z products): r, z into rec and r ⊙ h into rh. */
export function gruResetGates(batch: i32, hp: i32, t: i32, lens: usize, pre: usize, rec: usize, h: usize, rh: usize, params: usize): void {
  const fId = <i32>param(params, 0), fA = param(params, 1), fB = param(params, 2);
  const clip = param(params, 9);
  const gate = <usize>hp << 2;
  const row = gate * 3;
  for (let b = 0; b < batch; b++) {
    if (!active(lens, t, b)) continue;
    const pr = pre + <usize>b * row, rr = rec + <usize>b * row;
    const hr = h + <usize>b * gate, rhr = rh + <usize>b * gate;
    sumActivate(fId, pr, rr, rr, 2 * gate, fA, fB, clip);
    for (let j: usize = 0; j < gate; j += 16) {
      v128.store(rhr + j, f32x4.mul(v128.load(rr + j), v128.load(hr + j)));
    }
  }
}

/** GRU reset-before, phase 2 (rec's n block holds W_hn·(r ⊙ h)): n into rec and h' into h. */
export function gruNewState(batch: i32, hp: i32, t: i32, lens: usize, pre: usize, rec: usize, h: usize, params: usize): void {
  const gId = <i32>param(params, 3), gA = param(params, 4), gB = param(params, 5);
  const clip = param(params, 9);
  const gate = <usize>hp << 2;
  const row = gate * 3;
  for (let b = 0; b < batch; b++) {
    if (!active(lens, t, b)) continue;
    const pr = pre + <usize>b * row, rr = rec + <usize>b * row, hr = h + <usize>b * gate;
    const n = rr + 2 * gate, z = rr + gate;
    sumActivate(gId, pr + 2 * gate, n, n, gate, gA, gB, clip);
    for (let j: usize = 0; j < gate; j += 16) {
      v128.store(hr + j, gruBlend(v128.load(z + j), v128.load(n + j), hr, j));
    }
  }
}

/** Elman RNN: h' = act(pre + rec), also written back into rec for the trace. */
export function rnnCell(batch: i32, hp: i32, t: i32, lens: usize, pre: usize, rec: usize, h: usize, params: usize): void {
  const gId = <i32>param(params, 3), gA = param(params, 4), gB = param(params, 5);
  const clip = param(params, 9);
  const gate = <usize>hp << 2;
  for (let b = 0; b < batch; b++) {
    if (!active(lens, t, b)) continue;
    const rr = rec + <usize>b * gate;
    sumActivate(gId, pre + <usize>b * gate, rr, rr, gate, gA, gB, clip);
    memory.copy(h + <usize>b * gate, rr, gate);
  }
}

/** Copies `cols` floats of each of `rows` rows; rows inactive at step t are zero-filled when
 * zeroInactive, else left alone. lens == 0 means all rows active. */
export function copyRows(src: usize, srcStride: i32, dst: usize, dstStride: i32, rows: i32, cols: i32, t: i32, lens: usize, zeroInactive: bool): void {
  const bytes = <usize>cols << 2;
  for (let b = 0; b < rows; b++) {
    const d = dst + ((<usize>b * <usize>dstStride) << 2);
    if (active(lens, t, b)) memory.copy(d, src + ((<usize>b * <usize>srcStride) << 2), bytes);
    else if (zeroInactive) memory.fill(d, 0, bytes);
  }
}
