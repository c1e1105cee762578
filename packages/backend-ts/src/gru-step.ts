import { clamp, sigmoid } from './activation.js';
import { gemmTransposed } from './gemm.js';
import { isActive, type Job, writeMaskedRow } from './run-sequence.js';
import type { Workspace } from './workspace.js';

/** Trace rows: r, z, n. */
const TRACE_COUNT = 3;

/** One GRU step for the whole batch. resetAfter: one product h·W_hhᵀ for all three gates and
 * n = g(a_n + r ⊙ (W_hn·h + b_hn)). resetBefore: the r, z product first, then (r ⊙ h)·W_hnᵀ,
 * with b_hn already summed into the input bias. */
export function stepGru(job: Job, ws: Workspace, t: number, preOffset: number): void {
  const { layer, batch: B, seqLens } = job;
  const h = job.h;
  const H = layer.hiddenSize;
  const width = layer.gateWidth;
  const resetAfter = layer.resetAfter;
  const pre = ws.pre;
  const rec = ws.recurrent;
  const rz = ws.gates;
  const rh = ws.hidden;
  const bound = layer.clip;
  const standard = layer.standardActivations;
  const gateAct = layer.gateActivation;
  gemmTransposed(
    B,
    resetAfter ? width : 2 * H,
    H,
    h,
    job.hOffset,
    H,
    layer.weightHh,
    0,
    layer.zeros,
    0,
    rec,
    0,
    width,
  );

  for (let b = 0; b < B; b++) {
    if (!isActive(seqLens, t, b)) continue;
    const p = preOffset + b * width;
    const q = b * width;
    const hRow = job.hOffset + b * H;
    for (let j = 0; j < H; j++) {
      const ar = clamp(pre[p + j] + rec[q + j], bound);
      const az = clamp(pre[p + H + j] + rec[q + H + j], bound);
      const r = standard ? sigmoid(ar) : gateAct(ar);
      rz[2 * b * H + j] = r;
      rz[(2 * b + 1) * H + j] = standard ? sigmoid(az) : gateAct(az);
      rh[b * H + j] = r * h[hRow + j];
    }
  }
  if (!resetAfter) {
    gemmTransposed(B, H, H, rh, 0, H, layer.weightHh, 2 * H * H, layer.zeros, 0, rec, 2 * H, width);
  }
  updateHidden(job, ws, t, preOffset);
}

/** n and h' = (1 - z) ⊙ n + z ⊙ h for the active rows; zero output for the masked ones. */
function updateHidden(job: Job, ws: Workspace, t: number, preOffset: number): void {
  const { layer, batch: B, seqLens, gates: trace } = job;
  const h = job.h;
  const H = layer.hiddenSize;
  const width = layer.gateWidth;
  const resetAfter = layer.resetAfter;
  const pre = ws.pre;
  const rec = ws.recurrent;
  const rz = ws.gates;
  const bhn = layer.hiddenBiasN;
  const bound = layer.clip;
  const standard = layer.standardActivations;
  const candidateAct = layer.candidateActivation;
  const out = job.output;
  for (let b = 0; b < B; b++) {
    if (!isActive(seqLens, t, b)) {
      writeMaskedRow(job, t, b, TRACE_COUNT);
      continue;
    }
    const p = preOffset + b * width + 2 * H;
    const q = b * width + 2 * H;
    const hRow = job.hOffset + b * H;
    const outRow = (t * B + b) * job.outputStride + job.outputOffset;
    for (let j = 0; j < H; j++) {
      const r = rz[2 * b * H + j];
      const z = rz[(2 * b + 1) * H + j];
      const an = clamp(pre[p + j] + (resetAfter ? r * (rec[q + j] + bhn[j]) : rec[q + j]), bound);
      const n = standard ? Math.tanh(an) : candidateAct(an);
      const value = (1 - z) * n + z * h[hRow + j];
      h[hRow + j] = value;
      out[outRow + j] = value;
      if (trace !== null) {
        const at = (t * B + b) * H + j;
        const plane = job.steps * B * H;
        trace[at] = r;
        trace[plane + at] = z;
        trace[2 * plane + at] = n;
      }
    }
  }
}
