import { clamp, sigmoid } from './activation.js';
import { type CellStep, isActive, type Job, writeMaskedRow } from './cell-step.js';
import { gemmTransposed } from './gemm.js';
import type { Workspace } from './workspace.js';

/** Trace rows: i, f, g, o, c. */
const TRACE_COUNT = 5;

/** One LSTM step for the whole batch: rec = h·W_hhᵀ, then per active row the fused gate math
 * (peepholes: i, f see the old c, o the new c'; clip before every activation), then the
 * projection h = W_hr·r when the layer has one. A recorded forward also writes the step's
 * local derivatives to the tape (see tape-layout.ts). */
export const stepLstm: CellStep = (job, ws, t, preOffset, layout) => {
  const { layer, batch: B, seqLens, gates: trace } = job;
  const h = job.h;
  const c = job.c!;
  const H = layer.hiddenSize;
  const Hout = layer.outputSize;
  const width = layer.gateWidth;
  const pre = ws.pre;
  const rec = ws.recurrent;
  gemmTransposed(B, width, Hout, h, job.hOffset, Hout, layer.weightHh, 0, layer.zeros, 0, rec, 0, width);

  const projected = layer.weightHr !== null;
  const ph = layer.peephole;
  const bound = layer.clip;
  const coupled = layer.coupledInputForget;
  const standard = layer.standardActivations;
  const gateAct = layer.gateActivation;
  const candidateAct = layer.candidateActivation;
  const cellAct = layer.cellActivation;
  const out = job.output;
  const tape = layout === null ? null : job.tape!;
  const planes = layout === null ? 0 : layout.planes;
  // Without projection r is h itself: write it straight into the state; with one, into ws.hidden.
  const r = projected ? ws.hidden : h;
  for (let b = 0; b < B; b++) {
    if (!isActive(seqLens, t, b)) {
      writeMaskedRow(job, t, b, TRACE_COUNT);
      continue;
    }
    const p = preOffset + b * width;
    const q = b * width;
    const cRow = job.cOffset + b * H;
    const rRow = projected ? b * H : job.hOffset + b * H;
    const outRow = (t * B + b) * job.outputStride + job.outputOffset;
    const tapeRow = layout === null ? 0 : layout.cell + (t * B + b) * planes * H;
    const extraRow = layout === null || layout.extra === null ? 0 : layout.extra + (t * B + b) * H;
    for (let j = 0; j < H; j++) {
      const cOld = c[cRow + j];
      const aiRaw = pre[p + j] + rec[q + j] + ph[j] * cOld;
      const agRaw = pre[p + 2 * H + j] + rec[q + 2 * H + j];
      const ai = clamp(aiRaw, bound);
      const ag = clamp(agRaw, bound);
      const i = standard ? sigmoid(ai) : gateAct(ai);
      let f: number;
      let af = 0;
      let afRaw = 0;
      if (coupled) f = 1 - i;
      else {
        afRaw = pre[p + H + j] + rec[q + H + j] + ph[H + j] * cOld;
        af = clamp(afRaw, bound);
        f = standard ? sigmoid(af) : gateAct(af);
      }
      const g = standard ? Math.tanh(ag) : candidateAct(ag);
      const cNew = f * cOld + i * g;
      const aoRaw = pre[p + 3 * H + j] + rec[q + 3 * H + j] + ph[2 * H + j] * cNew;
      const ao = clamp(aoRaw, bound);
      const o = standard ? sigmoid(ao) : gateAct(ao);
      const hc = standard ? Math.tanh(cNew) : cellAct(cNew);
      const value = o * hc;
      c[cRow + j] = cNew;
      r[rRow + j] = value;
      if (!projected) out[outRow + j] = value;
      if (trace !== null) {
        const at = (t * B + b) * H + j;
        const plane = job.steps * B * H;
        trace[at] = i;
        trace[plane + at] = f;
        trace[2 * plane + at] = g;
        trace[3 * plane + at] = o;
        trace[4 * plane + at] = cNew;
      }
      if (tape !== null) {
        // Local derivatives with the clip mask (inclusive, like torch.clamp) folded in.
        const di = (standard ? i * (1 - i) : layer.gateDerivative(ai, i)) * (ai === aiRaw ? 1 : 0);
        const dg = (standard ? 1 - g * g : layer.candidateDerivative(ag, g)) * (ag === agRaw ? 1 : 0);
        const dout = (standard ? o * (1 - o) : layer.gateDerivative(ao, o)) * (ao === aoRaw ? 1 : 0);
        const dhc = standard ? 1 - hc * hc : layer.cellDerivative(cNew, hc);
        const at = tapeRow + j;
        if (coupled) {
          tape[at] = (g - cOld) * di;
          tape[at + H] = 0;
        } else {
          tape[at] = g * di;
          tape[at + H] =
            cOld * (standard ? f * (1 - f) : layer.gateDerivative(af, f)) * (af === afRaw ? 1 : 0);
        }
        tape[at + 2 * H] = i * dg;
        tape[at + 3 * H] = hc * dout;
        tape[at + 4 * H] = f;
        tape[at + 5 * H] = o * dhc;
        if (planes === 8) {
          tape[at + 6 * H] = cOld;
          tape[at + 7 * H] = cNew;
        }
        if (projected) tape[extraRow + j] = value;
      }
    }
  }
  if (projected) project(job, ws, t);
};

/** h = W_hr·r for the active rows (masked rows keep their h and already hold zero output). */
function project(job: Job, ws: Workspace, t: number): void {
  const { layer, batch: B, seqLens } = job;
  const H = layer.hiddenSize;
  const P = layer.outputSize;
  const hp = ws.gates;
  gemmTransposed(B, P, H, ws.hidden, 0, H, layer.weightHr!, 0, layer.zeros, 0, hp, 0, P);
  const h = job.h;
  const out = job.output;
  for (let b = 0; b < B; b++) {
    if (!isActive(seqLens, t, b)) continue;
    const hRow = job.hOffset + b * P;
    const outRow = (t * B + b) * job.outputStride + job.outputOffset;
    for (let j = 0; j < P; j++) {
      const value = hp[b * P + j];
      h[hRow + j] = value;
      out[outRow + j] = value;
    }
  }
}
