import { cellStepBackward, type LayerGradients, type ReferenceBackwardLayer } from './cell-step-backward.js';
import { readStepTape, stepTapeLength } from './cell-step-tape.js';

/** The backward of one recorded layer-direction, all in float64 (core's BackwardJob with
 * this layer-direction's dh/dc already cut out and the gradients as named views). */
export interface ReferenceSequenceBackwardInput {
  /** The forward's input [T, B, I], time-major. */
  readonly input: Float64Array;
  /** What recordReferenceSequence wrote. */
  readonly tape: Float64Array;
  readonly steps: number;
  readonly batch: number;
  /** ∂loss/∂output row (t, b) at dOutput[(t·B + b)·dOutputStride + dOutputOffset + j]. */
  readonly dOutput: Float64Array;
  readonly dOutputStride: number;
  readonly dOutputOffset: number;
  /** [B, Hout]: read as ∂loss/∂(final h), overwritten with ∂loss/∂h0. */
  readonly dh: Float64Array;
  /** [B, H] (LSTM), the same for c; null otherwise. */
  readonly dc: Float64Array | null;
  /** [T, B, I]: ∂loss/∂input is added here. */
  readonly dInput: Float64Array;
  /** Weight gradients are added here. */
  readonly gradients: LayerGradients;
  readonly reverse: boolean;
  readonly seqLens: ArrayLike<number> | null;
}

/** Backpropagation through time, each batch row on its own: the processed steps in the
 * opposite order of the forward (forward direction t = L_b−1 … 0, reverse t = 0 … L_b−1),
 * ∂loss/∂h′ of a step = its output row's gradient + what the later step carried. Masked steps
 * (t ≥ L_b) were never processed: their output rows are ignored, dh/dc pass them unchanged
 * and their x rows get nothing. */
export function runReferenceSequenceBackward(
  layer: ReferenceBackwardLayer,
  job: ReferenceSequenceBackwardInput,
): void {
  const { steps: T, batch: B } = job;
  const { inputSize: I, hiddenSize: H, outputSize: Hout } = layer;
  const slot = stepTapeLength(layer);
  for (let b = 0; b < B; b++) {
    const length = job.seqLens === null ? T : job.seqLens[b];
    let dh: Float64Array = job.dh.slice(b * Hout, (b + 1) * Hout);
    let dc: Float64Array | null = job.dc === null ? null : job.dc.slice(b * H, (b + 1) * H);
    for (let k = length - 1; k >= 0; k--) {
      const t = job.reverse ? length - 1 - k : k;
      const row = t * B + b;
      const dhNew = new Float64Array(Hout);
      const dOutputAt = row * job.dOutputStride + job.dOutputOffset;
      for (let j = 0; j < Hout; j++) dhNew[j] = dh[j] + job.dOutput[dOutputAt + j];
      const values = readStepTape(job.tape, row * slot, layer, job.input.subarray(row * I, (row + 1) * I));
      const step = cellStepBackward(layer, values, dhNew, dc, job.gradients);
      for (let m = 0; m < I; m++) job.dInput[row * I + m] += step.x[m];
      dh = step.hPrev;
      dc = step.cPrev;
    }
    job.dh.set(dh, b * Hout);
    if (job.dc !== null && dc !== null) job.dc.set(dc, b * H);
  }
}
