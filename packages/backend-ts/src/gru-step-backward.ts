import { isActive } from './cell-step.js';
import { type CellStepBackward, upstreamOffset } from './cell-step-backward.js';
import { gemmTransposedAdd } from './gemm-accumulate.js';
import { GRU_PLANE } from './tape-layout.js';

/**
 * The backward of one GRU step for the whole batch, from the tape's local derivatives:
 *   dA_n = ∂h'·kN;  dA_z = ∂h'·kZ;  ∂h = ∂h'·z + (hidden-side gradients)·W_hh
 * resetAfter: ∂hn = dA_n·r, dA_r = dA_n·kR; the row [∂hn, dA_r, dA_z, dA_n] gives one product
 * with W_hhᵀ packed n, r, z. resetBefore: ∂(r ⊙ h) = dA_n·W_hn first, then dA_r = ∂(r ⊙ h)·kR,
 * ∂h += ∂(r ⊙ h)·r and the r, z product.
 */
export const stepGruBackward: CellStepBackward = (job, ws, weights, layout, t, slot) => {
  const { layer, batch: B, seqLens, dh, tape } = job;
  const H = layer.hiddenSize;
  const resetAfter = layer.resetAfter;
  const width = resetAfter ? 4 * H : 3 * H;
  const dA = ws.gates;
  const dAt = slot * B * width;
  const up = ws.hidden;
  const upAt = upstreamOffset(layer, slot, B);
  const { z: zPlane, kZ, kN, r: rPlane, kR } = GRU_PLANE;
  for (let b = 0; b < B; b++) {
    if (!isActive(seqLens, t, b)) continue;
    const row = layout.cell + (t * B + b) * 5 * H;
    const u = upAt + b * H;
    const a = dAt + b * width;
    const hRow = job.dhOffset + b * H;
    for (let j = 0; j < H; j++) {
      const at = row + j;
      const g = up[u + j];
      const dAn = g * tape[at + kN * H];
      const dAz = g * tape[at + kZ * H];
      dh[hRow + j] = g * tape[at + zPlane * H];
      if (resetAfter) {
        dA[a + j] = dAn * tape[at + rPlane * H];
        dA[a + H + j] = dAn * tape[at + kR * H];
        dA[a + 2 * H + j] = dAz;
        dA[a + 3 * H + j] = dAn;
      } else {
        dA[a + H + j] = dAz;
        dA[a + 2 * H + j] = dAn;
      }
    }
  }
  if (resetAfter) {
    gemmTransposedAdd(B, H, 3 * H, dA, dAt, width, weights.hh, 0, 3 * H, dh, job.dhOffset, H);
    return;
  }
  const dRh = ws.step;
  dRh.fill(0, 0, B * H);
  gemmTransposedAdd(B, H, H, dA, dAt + 2 * H, width, weights.hh, 2 * H, 3 * H, dRh, 0, H);
  for (let b = 0; b < B; b++) {
    if (!isActive(seqLens, t, b)) continue;
    const row = layout.cell + (t * B + b) * 5 * H;
    const a = dAt + b * width;
    const hRow = job.dhOffset + b * H;
    for (let j = 0; j < H; j++) {
      const at = row + j;
      const d = dRh[b * H + j];
      dA[a + j] = d * tape[at + kR * H];
      dh[hRow + j] += d * tape[at + rPlane * H];
    }
  }
  gemmTransposedAdd(B, H, 2 * H, dA, dAt, width, weights.hh, 0, 3 * H, dh, job.dhOffset, H);
};
