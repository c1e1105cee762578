import { isActive } from './cell-step.js';
import { type CellStepBackward, type GradientJob, upstreamOffset } from './cell-step-backward.js';
import { addColumnSums, gemmTransposedAdd, gemmTransposedLeftAdd } from './gemm-accumulate.js';
import type { GradientWorkspace } from './gradient-workspace.js';
import { stepGruBackward } from './gru-step-backward.js';
import { stepLstmBackward } from './lstm-step-backward.js';
import type { PackedLayer } from './pack-layer.js';
import { stepRnnBackward } from './rnn-step-backward.js';
import { type TapeLayout, tapeLayout } from './tape-layout.js';
import type { TransposedWeights } from './transposed-weights.js';

/** Gate gradients kept per chunk of steps (1M values, 4 MB in f32): the weight gradients are
 * added a chunk of steps at a time, so the scratch stays bounded for any sequence length while
 * each product still spans thousands of rows. */
const GRADIENT_CHUNK_VALUES = 1 << 20;

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

/**
 * Backpropagation through time over one recorded layer-direction: the steps in the opposite
 * order of the forward, each one elementwise pass over the tape and ONE product of the whole
 * batch's gate gradients with W_hh for ∂h_prev (a resetBefore GRU first needs the n-block
 * product for ∂(r ⊙ h)); after each chunk of steps, one product over all its rows each for
 * ∂W_ih = dAᵀ·X, ∂x += dA·W_ih and ∂W_hh = dAᵀ·H_prev (and ∂W_hr), and the bias column sums.
 */
export function runSequenceBackward(
  job: GradientJob,
  ws: GradientWorkspace,
  weights: TransposedWeights,
  chunkValues = GRADIENT_CHUNK_VALUES,
): void {
  const { layer, steps: T, batch: B } = job;
  const H = layer.hiddenSize;
  const Hout = layer.outputSize;
  const layout = tapeLayout(layer, T, B);
  const plan = gatePlan(layer);
  const chunk = Math.max(1, Math.min(T, Math.floor(chunkValues / (B * plan.width))));
  const projected = layer.weightHr !== null;
  // ws.sums: the peephole gradients [3H], then the bias column sums [width].
  ws.reserve({
    gates: chunk * B * plan.width,
    hidden: (projected ? chunk * B : B) * Hout,
    step: B * H,
    sums: 3 * H + plan.width,
  });
  ws.sums.fill(0, 0, 3 * H + plan.width);
  const step = CELL_STEP_BACKWARDS[layer.cell];
  const chunks = Math.ceil(T / chunk);
  for (let index = 0; index < chunks; index++) {
    // Backwards in time for the forward direction (last chunk first), forwards for the reverse.
    const first = job.reverse ? index * chunk : Math.max(0, T - (index + 1) * chunk);
    const end = job.reverse ? Math.min(T, first + chunk) : T - index * chunk;
    for (let s = 0; s < end - first; s++) {
      const t = job.reverse ? first + s : end - 1 - s;
      gatherUpstream(job, ws, t, t - first, plan.width);
      step(job, ws, weights, layout, t, t - first);
    }
    addChunkGradients(job, ws, weights, layout, plan, first, end);
  }
  addSums(job, ws, plan);
}

/** ∂loss/∂h' = carried dh + ∂loss/∂output for the active rows of step t; the masked rows get
 * zero upstream and zero gate gradients (their state passes through, dh/dc unchanged). */
function gatherUpstream(
  job: GradientJob,
  ws: GradientWorkspace,
  t: number,
  slot: number,
  width: number,
): void {
  const { batch: B, seqLens, dh, dOutput } = job;
  const Hout = job.layer.outputSize;
  const up = ws.hidden;
  const upAt = upstreamOffset(job.layer, slot, B);
  for (let b = 0; b < B; b++) {
    const u = upAt + b * Hout;
    if (!isActive(seqLens, t, b)) {
      up.fill(0, u, u + Hout);
      ws.gates.fill(0, (slot * B + b) * width, (slot * B + b + 1) * width);
      continue;
    }
    const d = (t * B + b) * job.dOutputStride + job.dOutputOffset;
    const hRow = job.dhOffset + b * Hout;
    for (let j = 0; j < Hout; j++) up[u + j] = dh[hRow + j] + dOutput[d + j];
  }
}

/** After a chunk of steps [first, end): the weight gradients from the gate gradients of all its
 * rows at once, ∂x of its rows, and the bias column sums. Everything is added (two directions
 * share dInput; the caller zeroes the gradients). */
function addChunkGradients(
  job: GradientJob,
  ws: GradientWorkspace,
  weights: TransposedWeights,
  layout: TapeLayout,
  plan: GatePlan,
  first: number,
  end: number,
): void {
  const { layer, layout: at, gradients, gradientsOffset: base } = job;
  const B = job.batch;
  const rows = (end - first) * B;
  const row0 = first * B;
  const I = layer.inputSize;
  const H = layer.hiddenSize;
  const Hout = layer.outputSize;
  const GH = layer.gateWidth;
  const dA = ws.gates;
  const tape = job.tape;
  const { width, inputColumn } = plan;
  gemmTransposedLeftAdd(
    GH,
    I,
    rows,
    dA,
    inputColumn,
    width,
    job.input,
    row0 * I,
    I,
    gradients,
    base + at.weightIh,
    I,
  );
  gemmTransposedAdd(rows, I, GH, dA, inputColumn, width, weights.ih, 0, GH, job.dInput, row0 * I, I);
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
      (previous ? layout.previous : layout.extra!) + row0 * sourceWidth,
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
      layout.extra! + row0 * H,
      H,
      gradients,
      base + at.weightHr,
      H,
    );
  }
  if (at.biasIh !== null) addColumnSums(rows, width, dA, 0, width, ws.sums, 3 * H);
}

/** The peephole gradients summed per step and the bias column sums, into the gradients. */
function addSums(job: GradientJob, ws: GradientWorkspace, plan: GatePlan): void {
  const { layout: at, gradients, gradientsOffset: base } = job;
  const H = job.layer.hiddenSize;
  const GH = job.layer.gateWidth;
  const sums = ws.sums;
  if (at.weightPh !== null) {
    for (let k = 0; k < 3 * H; k++) gradients[base + at.weightPh + k] += sums[k];
  }
  if (at.biasIh !== null && at.biasHh !== null) {
    const column = 3 * H;
    for (let g = 0; g < GH; g++) gradients[base + at.biasIh + g] += sums[column + plan.inputColumn + g];
    for (const block of plan.hiddenBlocks) {
      for (let g = 0; g < block.count; g++) {
        gradients[base + at.biasHh + block.row + g] += sums[column + block.column + g];
      }
    }
  }
}
