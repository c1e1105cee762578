import { clamp, sigmoid } from './activation.js';
import { type CellStep, isActive, writeMaskedRow } from './cell-step.js';
import { gemmTransposed } from './gemm.js';

/** Trace rows: r, z, n. */
const TRACE_COUNT = 3;

/** One GRU step for the whole batch. resetAfter: one product h·W_hhᵀ for all three gates and
 * n = g(a_n + r ⊙ (W_hn·h + b_hn)). resetBefore: the r, z product first, then (r ⊙ h)·W_hnᵀ,
 * with b_hn already summed into the input bias. A recorded forward also writes the step's
 * local derivatives to the tape (see tape-layout.ts). */
export const stepGru: CellStep = (job, ws, t, preOffset, layout) => {
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

  const tape = layout === null ? null : job.tape!;
  for (let b = 0; b < B; b++) {
    if (!isActive(seqLens, t, b)) continue;
    const p = preOffset + b * width;
    const q = b * width;
    const hRow = job.hOffset + b * H;
    for (let j = 0; j < H; j++) {
      const arRaw = pre[p + j] + rec[q + j];
      const azRaw = pre[p + H + j] + rec[q + H + j];
      const ar = clamp(arRaw, bound);
      const az = clamp(azRaw, bound);
      const r = standard ? sigmoid(ar) : gateAct(ar);
      const z = standard ? sigmoid(az) : gateAct(az);
      rz[2 * b * H + j] = r;
      rz[(2 * b + 1) * H + j] = z;
      rh[b * H + j] = r * h[hRow + j];
      if (tape !== null) {
        // z, r and the masked derivatives r', z'; updateHidden multiplies in the other factors.
        const at = layout!.cell + (t * B + b) * 5 * H + j;
        tape[at] = z;
        tape[at + H] = (standard ? z * (1 - z) : layer.gateDerivative(az, z)) * (az === azRaw ? 1 : 0);
        tape[at + 3 * H] = r;
        tape[at + 4 * H] = (standard ? r * (1 - r) : layer.gateDerivative(ar, r)) * (ar === arRaw ? 1 : 0);
        if (layout!.extra !== null) tape[layout!.extra + (t * B + b) * H + j] = r * h[hRow + j];
      }
    }
  }
  if (!resetAfter) {
    gemmTransposed(B, H, H, rh, 0, H, layer.weightHh, 2 * H * H, layer.zeros, 0, rec, 2 * H, width);
  }
  updateHidden(job, ws, t, preOffset, layout);
};

/** n and h' = (1 - z) ⊙ n + z ⊙ h for the active rows; zero output for the masked ones. */
const updateHidden: CellStep = (job, ws, t, preOffset, layout) => {
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
  const tape = layout === null ? null : job.tape!;
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
      const hn = resetAfter ? rec[q + j] + bhn[j] : 0;
      const anRaw = pre[p + j] + (resetAfter ? r * hn : rec[q + j]);
      const an = clamp(anRaw, bound);
      const n = standard ? Math.tanh(an) : candidateAct(an);
      const hOld = h[hRow + j];
      const value = (1 - z) * n + z * hOld;
      h[hRow + j] = value;
      out[outRow + j] = value;
      if (trace !== null) {
        const at = (t * B + b) * H + j;
        const plane = job.steps * B * H;
        trace[at] = r;
        trace[plane + at] = z;
        trace[2 * plane + at] = n;
      }
      if (tape !== null) {
        const at = layout!.cell + (t * B + b) * 5 * H + j;
        const dn = (standard ? 1 - n * n : layer.candidateDerivative(an, n)) * (an === anRaw ? 1 : 0);
        tape[at + H] *= hOld - n;
        tape[at + 2 * H] = (1 - z) * dn;
        tape[at + 4 * H] *= resetAfter ? hn : hOld;
      }
    }
  }
};
