import { clamp } from './activation.js';
import { type CellStep, isActive, writeMaskedRow } from './cell-step.js';
import { gemmTransposed } from './gemm.js';

/** One Elman RNN step: h' = act(a + h·W_hhᵀ) with the input projection and both biases in a.
 * A recorded forward also writes act'(a)·mask to the tape. */
export const stepRnn: CellStep = (job, ws, t, preOffset, layout) => {
  const { layer, batch: B, seqLens, gates: trace } = job;
  const h = job.h;
  const H = layer.hiddenSize;
  const pre = ws.pre;
  const rec = ws.recurrent;
  const bound = layer.clip;
  const tanhCandidate = layer.standardActivations;
  const act = layer.candidateActivation;
  const out = job.output;
  const tape = layout === null ? null : job.tape!;
  gemmTransposed(B, H, H, h, job.hOffset, H, layer.weightHh, 0, layer.zeros, 0, rec, 0, H);
  for (let b = 0; b < B; b++) {
    if (!isActive(seqLens, t, b)) {
      writeMaskedRow(job, t, b, 1);
      continue;
    }
    const p = preOffset + b * H;
    const hRow = job.hOffset + b * H;
    const outRow = (t * B + b) * job.outputStride + job.outputOffset;
    const tapeRow = layout === null ? 0 : layout.cell + (t * B + b) * H;
    for (let j = 0; j < H; j++) {
      const aRaw = pre[p + j] + rec[b * H + j];
      const a = clamp(aRaw, bound);
      const value = tanhCandidate ? Math.tanh(a) : act(a);
      h[hRow + j] = value;
      out[outRow + j] = value;
      if (trace !== null) trace[(t * B + b) * H + j] = value;
      if (tape !== null) {
        const d = tanhCandidate ? 1 - value * value : layer.candidateDerivative(a, value);
        tape[tapeRow + j] = d * (a === aRaw ? 1 : 0);
      }
    }
  }
};
