import { isActive } from './cell-step.js';
import { type CellStepBackward, upstreamOffset } from './cell-step-backward.js';
import { gemmTransposedAdd } from './gemm-accumulate.js';
import { LSTM_PLANE } from './tape-layout.js';

/**
 * The backward of one LSTM step for the whole batch. With a projection, ∂r = ∂h'·W_hr first;
 * then per active row and unit, from the tape's local derivatives:
 *   dA_o = ∂r·kO;  ∂c' = dc + ∂r·e + dA_o·p_o;  dA_i = ∂c'·kI;  dA_f = ∂c'·kF;  dA_g = ∂c'·kG;
 *   ∂c = ∂c'·f + dA_i·p_i + dA_f·p_f
 * (peephole gradients summed in ws.sums); then ∂h = dA·W_hh in one product for the batch.
 */
export const stepLstmBackward: CellStepBackward = (job, ws, weights, layout, t, slot) => {
  const { layer, batch: B, seqLens, dh, tape } = job;
  const dc = job.dc!;
  const H = layer.hiddenSize;
  const Hout = layer.outputSize;
  const GH = layer.gateWidth;
  const dA = ws.gates;
  const dAt = slot * B * GH;
  const upAt = upstreamOffset(layer, slot, B);
  let dr = ws.hidden;
  let drAt = upAt;
  if (weights.hr !== null) {
    dr = ws.step;
    drAt = 0;
    dr.fill(0, 0, B * H);
    gemmTransposedAdd(B, H, Hout, ws.hidden, upAt, Hout, weights.hr, 0, Hout, dr, 0, H);
  }
  const ph = layer.peephole;
  const planes = layout.planes;
  const peephole = planes === 8;
  const sums = ws.sums;
  const { kI, kF, kG, kO, f: fPlane, e: ePlane, c: cPlane, cNew: cNewPlane } = LSTM_PLANE;
  for (let b = 0; b < B; b++) {
    if (!isActive(seqLens, t, b)) continue;
    const row = layout.cell + (t * B + b) * planes * H;
    const g = drAt + b * H;
    const cRow = job.dcOffset + b * H;
    const a = dAt + b * GH;
    for (let j = 0; j < H; j++) {
      const at = row + j;
      const dRj = dr[g + j];
      const dAo = dRj * tape[at + kO * H];
      const dcNew = dc[cRow + j] + dRj * tape[at + ePlane * H] + dAo * ph[2 * H + j];
      const dAi = dcNew * tape[at + kI * H];
      const dAf = dcNew * tape[at + kF * H];
      dA[a + j] = dAi;
      dA[a + H + j] = dAf;
      dA[a + 2 * H + j] = dcNew * tape[at + kG * H];
      dA[a + 3 * H + j] = dAo;
      dc[cRow + j] = dcNew * tape[at + fPlane * H] + dAi * ph[j] + dAf * ph[H + j];
      if (peephole) {
        const cOld = tape[at + cPlane * H];
        sums[j] += dAi * cOld;
        sums[H + j] += dAf * cOld;
        sums[2 * H + j] += dAo * tape[at + cNewPlane * H];
      }
    }
    dh.fill(0, job.dhOffset + b * Hout, job.dhOffset + (b + 1) * Hout);
  }
  // Masked rows have zero gate gradients: the product adds nothing to their carried dh.
  gemmTransposedAdd(B, Hout, GH, dA, dAt, GH, weights.hh, 0, GH, dh, job.dhOffset, Hout);
};
