// Fused per-step gate math for one time step of all batch rows. Rows hold padded gate blocks
// (stride hp, a multiple of 8), so every loop is whole f32x4 vectors; the padding columns are
// never read back as results. Batch row b is active at step t when lens == 0 or t < lens[b];
// inactive rows are left untouched (they keep their state).
//
// params (f32 each, see src/layer.ts): gate id, α, β; candidate id, α, β; cell id, α, β;
// clip (+inf = none); coupled input-forget (0/1).

import { activateV, clipV } from './math';

@inline function active(lens: usize, t: i32, b: i32): bool {
  return lens == 0 || t < load<i32>(lens + (<usize>b << 2));
}

@inline function param(params: usize, index: i32): f32 {
  return load<f32>(params + (<usize>index << 2));
}

/** LSTM rows i, f, g, o. Writes the activated gates back into rec (for traces), c' into c and
 * o ⊙ h_act(c') into hOut (the hidden state, or the projection input). */
export function lstmCell(batch: i32, hp: i32, t: i32, lens: usize, pre: usize, rec: usize, c: usize, hOut: usize, peep: usize, params: usize): void {
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
      let ai = f32x4.add(v128.load(pr + j), v128.load(rr + j));
      let af = f32x4.add(v128.load(pr + gate + j), v128.load(rr + gate + j));
      const ag = f32x4.add(v128.load(pr + 2 * gate + j), v128.load(rr + 2 * gate + j));
      let ao = f32x4.add(v128.load(pr + 3 * gate + j), v128.load(rr + 3 * gate + j));
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
    const pr = pre + <usize>b * row, rr = rec + <usize>b * row, hr = h + <usize>b * gate;
    for (let j: usize = 0; j < gate; j += 16) {
      const r = activateV(fId, clipV(f32x4.add(v128.load(pr + j), v128.load(rr + j)), clip), fA, fB);
      const z = activateV(fId, clipV(f32x4.add(v128.load(pr + gate + j), v128.load(rr + gate + j)), clip), fA, fB);
      const an = f32x4.add(v128.load(pr + 2 * gate + j), f32x4.mul(r, v128.load(rr + 2 * gate + j)));
      const n = activateV(gId, clipV(an, clip), gA, gB);
      const hOld = v128.load(hr + j);
      v128.store(rr + j, r);
      v128.store(rr + gate + j, z);
      v128.store(rr + 2 * gate + j, n);
      v128.store(hr + j, f32x4.add(n, f32x4.mul(z, f32x4.sub(hOld, n))));
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
    for (let j: usize = 0; j < gate; j += 16) {
      const r = activateV(fId, clipV(f32x4.add(v128.load(pr + j), v128.load(rr + j)), clip), fA, fB);
      const z = activateV(fId, clipV(f32x4.add(v128.load(pr + gate + j), v128.load(rr + gate + j)), clip), fA, fB);
      v128.store(rr + j, r);
      v128.store(rr + gate + j, z);
      v128.store(rhr + j, f32x4.mul(r, v128.load(hr + j)));
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
    for (let j: usize = 0; j < gate; j += 16) {
      const n = activateV(gId, clipV(f32x4.add(v128.load(pr + 2 * gate + j), v128.load(rr + 2 * gate + j)), clip), gA, gB);
      const z = v128.load(rr + gate + j);
      const hOld = v128.load(hr + j);
      v128.store(rr + 2 * gate + j, n);
      v128.store(hr + j, f32x4.add(n, f32x4.mul(z, f32x4.sub(hOld, n))));
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
    const pr = pre + <usize>b * gate, rr = rec + <usize>b * gate, hr = h + <usize>b * gate;
    for (let j: usize = 0; j < gate; j += 16) {
      const v = activateV(gId, clipV(f32x4.add(v128.load(pr + j), v128.load(rr + j)), clip), gA, gB);
      v128.store(rr + j, v);
      v128.store(hr + j, v);
    }
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
