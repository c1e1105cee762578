import { type CellStep, isActive, type Job } from './cell-step.js';
import { gemmTransposed } from './gemm.js';
import { stepGru } from './gru-step.js';
import { stepLstm } from './lstm-step.js';
import type { PackedLayer } from './pack-layer.js';
import { stepRnn } from './rnn-step.js';
import { tapeLayout } from './tape-layout.js';
import type { Workspace } from './workspace.js';

const CELL_STEPS: Record<PackedLayer['cell'], CellStep> = { lstm: stepLstm, gru: stepGru, rnn: stepRnn };

/** Pre-activation values kept per chunk (1M values, 4 MB in f32): long sequences project
 * their inputs a chunk of steps at a time instead of all at once. */
const PRE_CHUNK_VALUES = 1 << 20;

/** One layer-direction over a sequence: the input projection of a chunk of steps as one GEMM
 * (bias included), then the steps of that chunk in order (reverse: chunks and steps backwards). */
export function runSequence(job: Job, ws: Workspace): void {
  const { layer, steps: T, batch: B } = job;
  const width = layer.gateWidth;
  const chunk = Math.max(1, Math.min(T, Math.floor(PRE_CHUNK_VALUES / (B * width))));
  ws.reserve({
    pre: chunk * B * width,
    recurrent: B * width,
    hidden: B * layer.hiddenSize,
    gates: B * Math.max(2 * layer.hiddenSize, layer.outputSize),
  });
  const step = CELL_STEPS[layer.cell];
  const layout = job.tape ? tapeLayout(layer, T, B) : null;
  const chunks = Math.ceil(T / chunk);
  for (let index = 0; index < chunks; index++) {
    const first = job.reverse ? Math.max(0, T - (index + 1) * chunk) : index * chunk;
    const end = job.reverse ? T - index * chunk : Math.min(T, first + chunk);
    const rows = (end - first) * B;
    const I = layer.inputSize;
    gemmTransposed(
      rows,
      width,
      I,
      job.input,
      first * B * I,
      I,
      layer.weightIh,
      0,
      layer.inputBias,
      0,
      ws.pre,
      0,
      width,
    );
    if (layout !== null) {
      for (let s = 0; s < end - first; s++) {
        const t = job.reverse ? end - 1 - s : first + s;
        recordPrevious(job, t);
        step(job, ws, t, (t - first) * B * width, layout);
      }
    } else if (job.reverse) {
      for (let t = end - 1; t >= first; t--) step(job, ws, t, (t - first) * B * width, null);
    } else {
      for (let t = first; t < end; t++) step(job, ws, t, (t - first) * B * width, null);
    }
  }
}

/** Copies each active row's h before step t to the tape's `previous` region (row t·B + b),
 * which the backward multiplies by the recurrent gate gradients for ∂W_hh. */
function recordPrevious(job: Job, t: number): void {
  const { batch: B, seqLens, h } = job;
  const tape = job.tape!;
  const Hout = job.layer.outputSize;
  for (let b = 0; b < B; b++) {
    if (!isActive(seqLens, t, b)) continue;
    const from = job.hOffset + b * Hout;
    const to = (t * B + b) * Hout;
    for (let j = 0; j < Hout; j++) tape[to + j] = h[from + j];
  }
}
