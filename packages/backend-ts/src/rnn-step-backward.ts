import { isActive } from './cell-step.js';
import { type CellStepBackward, upstreamOffset } from './cell-step-backward.js';
import { gemmTransposedAdd } from './gemm-accumulate.js';

/** The backward of one Elman RNN step: dA = ∂h'·act'(a)·mask (from the tape), ∂h = dA·W_hh. */
export const stepRnnBackward: CellStepBackward = (job, ws, weights, layout, t, slot) => {
  const { layer, batch: B, seqLens, dh, tape } = job;
  const H = layer.hiddenSize;
  const dA = ws.gates;
  const dAt = slot * B * H;
  const up = ws.hidden;
  const upAt = upstreamOffset(layer, slot, B);
  for (let b = 0; b < B; b++) {
    if (!isActive(seqLens, t, b)) continue;
    const row = layout.cell + (t * B + b) * H;
    const u = upAt + b * H;
    const a = dAt + b * H;
    for (let j = 0; j < H; j++) dA[a + j] = up[u + j] * tape[row + j];
    dh.fill(0, job.dhOffset + b * H, job.dhOffset + (b + 1) * H);
  }
  gemmTransposedAdd(B, H, H, dA, dAt, H, weights.hh, 0, H, dh, job.dhOffset, H);
};
