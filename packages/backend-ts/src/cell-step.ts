import type { SequenceJob } from '@gated/core';
import type { PackedLayer } from './pack-layer.js';
import type { Real } from './real.js';
import type { TapeLayout } from './tape-layout.js';
import type { Workspace } from './workspace.js';

export type Job = SequenceJob<Real, PackedLayer>;

/** One step of a cell: the recurrent product and the gate math of step t, whose input
 * projections start at `pre[preOffset]` (B rows of G·H); with a tape layout (a recorded
 * forward) it also writes the step's local derivatives to `job.tape`. */
export type CellStep = (
  job: Job,
  ws: Workspace,
  t: number,
  preOffset: number,
  layout: TapeLayout | null,
) => void;

/** Whether batch element b runs at step t (both directions run exactly the steps t < L_b). */
export function isActive(seqLens: Int32Array | null, t: number, b: number): boolean {
  return seqLens === null || t < seqLens[b];
}

/** Writes the zero output row (and zero gate traces) of a masked batch element at step t. */
export function writeMaskedRow(job: Job, t: number, b: number, traceCount: number): void {
  const out = job.output;
  const row = (t * job.batch + b) * job.outputStride + job.outputOffset;
  out.fill(0, row, row + job.layer.outputSize);
  if (job.gates !== null) {
    const H = job.layer.hiddenSize;
    for (let g = 0; g < traceCount; g++) {
      const at = ((g * job.steps + t) * job.batch + b) * H;
      job.gates.fill(0, at, at + H);
    }
  }
}
