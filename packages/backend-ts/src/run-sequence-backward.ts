import type { BackwardJob } from '@gated/core';
import { addColumnSums, gemmTransposedAdd, gemmTransposedLeftAdd } from './gemm-accumulate.js';
import type { GradientWorkspace } from './gradient-workspace.js';
import { stepGruBackward } from './gru-step-backward.js';
import { stepLstmBackward } from './lstm-step-backward.js';
import type { PackedLayer } from './pack-layer.js';
import type { Real } from './real.js';
import { stepRnnBackward } from './rnn-step-backward.js';
import { isActive } from './run-sequence.js';
import { type TapeLayout, tapeLayout } from './tape-layout.js';
import type { TransposedWeights } from './transposed-weights.js';

export type GradientJob = BackwardJob<Real, PackedLayer>;

/** The backward of one step of a cell for the whole batch. On entry `ws.hidden` holds ∂loss/∂h'
 * of the step's active rows (at `upstreamOffset`), and `job.dh`/`job.dc` the gradients carried
 * from the step after; it writes the step's gate gradients into `ws.gates` (rows t·B + b) and
 * overwrites the active rows of dh/dc with the gradients of the previous state. */
export type CellStepBackward = (
  job: GradientJob,
  ws: GradientWorkspace,
  weights: TransposedWeights,
  layout: TapeLayout,
  t: number,
) => void;

const CELL_STEP_BACKWARDS: Record<PackedLayer['cell'], CellStepBackward> = {
  lstm: stepLstmBackward,
  gru: stepGruBackward,
  rnn: stepRnnBackward,
};

/** Where a cell's gate gradients lie in a row of `ws.gates`. */
interface GatePlan {
  /** Values per row. */
  readonly width: number;
  /** The input-side gradients [G·H] in W_ih's row order start here (→ ∂W_ih, ∂b_ih, ∂x). */
  readonly inputColumn: number;
  /** The hidden-side gradients: `count` rows of W_hh from `row`, whose gradients sit at
   * `column`, multiplied by the tape's `previous` h or its `extra` (r ⊙ h) rows. */
  readonly hiddenBlocks: readonly {
    readonly column: number;
    readonly row: number;
    readonly count: number;
    readonly source: 'previous' | 'extra';
  }[];
}

function gatePlan(layer: PackedLayer): GatePlan {
  const H = layer.hiddenSize;
  const GH = layer.gateWidth;
  if (layer.cell === 'gru' && layer.resetAfter) {
    // [∂hn, dA_r, dA_z, dA_n]: the hidden side is the first 3H (W_hhᵀ is packed n, r, z), the
    // input side the last 3H.
    return {
      width: 4 * H,
      inputColumn: H,
      hiddenBlocks: [
        { column: H, row: 0, count: 2 * H, source: 'previous' },
        { column: 0, row: 2 * H, count: H, source: 'previous' },
      ],
    };
  }
  if (layer.cell === 'gru') {
    return {
      width: GH,
      inputColumn: 0,
      hiddenBlocks: [
        { column: 0, row: 0, count: 2 * H, source: 'previous' },
        { column: 2 * H, row: 2 * H, count: H, source: 'extra' },
      ],
    };
  }
  return { width: GH, inputColumn: 0, hiddenBlocks: [{ column: 0, row: 0, count: GH, source: 'previous' }] };
}

/** Where ∂loss/∂h' of step t lies in `ws.hidden`: every step's own rows with a projection (∂W_hr
 * multiplies them all after the loop), else one step's. */
export function upstreamOffset(layer: PackedLayer, t: number, batch: number): number {
  return layer.weightHr === null ? 0 : t * batch * layer.outputSize;
}

/**
 * Backpropagation through time over one recorded layer-direction: the steps in the opposite
 * order of the forward, each one elementwise pass over the tape and ONE product of the whole
 * batch's gate gradients with W_hh for ∂h_prev (a resetBefore GRU first needs the n-block
 * product for ∂(r ⊙ h)); then one product over all T·B rows each for ∂W_ih = dAᵀ·X,
 * ∂x += dA·W_ih and ∂W_hh = dAᵀ·H_prev (and ∂W_hr), and the bias gradients as column sums.
 */
export function runSequenceBackward(
  job: GradientJob,
  ws: GradientWorkspace,
  weights: TransposedWeights,
): void {
  const { layer, steps: T, batch: B } = job;
  const H = layer.hiddenSize;
  const Hout = layer.outputSize;
  const layout = tapeLayout(layer, T, B);
  const plan = gatePlan(layer);
  const projected = layer.weightHr !== null;
  ws.reserve(T * B * plan.width, (projected ? T * B : B) * Hout, B * H, Math.max(plan.width, 3 * H));
  ws.sums.fill(0, 0, 3 * H);
  const step = CELL_STEP_BACKWARDS[layer.cell];
  for (let s = 0; s < T; s++) {
    const t = job.reverse ? s : T - 1 - s;
    gatherUpstream(job, ws, t, plan.width);
    step(job, ws, weights, layout, t);
  }
  addWeightGradients(job, ws, weights, layout, plan);
}

/** ∂loss/∂h' = carried dh + ∂loss/∂output for the active rows of step t; the masked rows get
 * zero upstream and zero gate gradients (their state passes through, dh/dc unchanged). */
function gatherUpstream(job: GradientJob, ws: GradientWorkspace, t: number, width: number): void {
  const { batch: B, seqLens, dh, dOutput } = job;
  const Hout = job.layer.outputSize;
  const up = ws.hidden;
  const upAt = upstreamOffset(job.layer, t, B);
  for (let b = 0; b < B; b++) {
    const u = upAt + b * Hout;
    if (!isActive(seqLens, t, b)) {
      up.fill(0, u, u + Hout);
      ws.gates.fill(0, (t * B + b) * width, (t * B + b + 1) * width);
      continue;
    }
    const d = (t * B + b) * job.dOutputStride + job.dOutputOffset;
    const hRow = job.dhOffset + b * Hout;
    for (let j = 0; j < Hout; j++) up[u + j] = dh[hRow + j] + dOutput[d + j];
  }
}

/** After the time loop: every weight gradient from the gate gradients of all steps at once,
 * and ∂x. Everything is added (two directions share dInput; the caller zeroes gradients). */
function addWeightGradients(
  job: GradientJob,
  ws: GradientWorkspace,
  weights: TransposedWeights,
  layout: TapeLayout,
  plan: GatePlan,
): void {
  const { layer, layout: at, gradients, gradientsOffset: base } = job;
  const rows = job.steps * job.batch;
  const I = layer.inputSize;
  const H = layer.hiddenSize;
  const Hout = layer.outputSize;
  const GH = layer.gateWidth;
  const dA = ws.gates;
  const tape = job.tape;
  const { width, inputColumn } = plan;
  const sums = ws.sums;
  // Peepholes were summed per step in ws.sums; add them before the sums are reused.
  if (at.weightPh !== null) {
    for (let k = 0; k < 3 * H; k++) gradients[base + at.weightPh + k] += sums[k];
  }
  gemmTransposedLeftAdd(
    GH,
    I,
    rows,
    dA,
    inputColumn,
    width,
    job.input,
    0,
    I,
    gradients,
    base + at.weightIh,
    I,
  );
  gemmTransposedAdd(rows, I, GH, dA, inputColumn, width, weights.ih, 0, GH, job.dInput, 0, I);
  for (const block of plan.hiddenBlocks) {
    const previous = block.source === 'previous';
    const sourceWidth = previous ? Hout : H;
    gemmTransposedLeftAdd(
      block.count,
      sourceWidth,
      rows,
      dA,
      block.column,
      width,
      tape,
      previous ? layout.previous : layout.extra!,
      sourceWidth,
      gradients,
      base + at.weightHh + block.row * Hout,
      Hout,
    );
  }
  if (at.weightHr !== null) {
    gemmTransposedLeftAdd(
      Hout,
      H,
      rows,
      ws.hidden,
      0,
      Hout,
      tape,
      layout.extra!,
      H,
      gradients,
      base + at.weightHr,
      H,
    );
  }
  if (at.biasIh !== null && at.biasHh !== null) {
    sums.fill(0, 0, width);
    addColumnSums(rows, width, dA, 0, width, sums);
    for (let g = 0; g < GH; g++) gradients[base + at.biasIh + g] += sums[inputColumn + g];
    for (const block of plan.hiddenBlocks) {
      for (let g = 0; g < block.count; g++)
        gradients[base + at.biasHh + block.row + g] += sums[block.column + g];
    }
  }
}
