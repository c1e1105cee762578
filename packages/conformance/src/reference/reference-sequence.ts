import { gateTraceNames } from '@gated/core';
import { cellStep, type StepResult } from './cell-step.js';
import type { ReferenceLayer } from './reference-layer.js';

/** One layer-direction over a whole sequence, all in float64. */
export interface ReferenceSequenceInput {
  /** [T, B, inputSize], time-major */
  readonly input: Float64Array;
  readonly steps: number;
  readonly batch: number;
  /** [B, Hout] */
  readonly h0: Float64Array;
  /** [B, H] (LSTM) or null */
  readonly c0: Float64Array | null;
  readonly reverse: boolean;
  /** Valid length per batch element, or null for all T. */
  readonly seqLens: ArrayLike<number> | null;
}

export interface ReferenceSequenceResult {
  /** [T, B, Hout], rows t ≥ L_b zero */
  readonly output: Float64Array;
  /** [B, Hout] after each element's last processed step (h0 when L_b = 0) */
  readonly h: Float64Array;
  /** [B, H] or null */
  readonly c: Float64Array | null;
  /** Gate name → [T, B, H], zero where masked */
  readonly gates: Record<string, Float64Array>;
}

/** Forward runs t = 0 … L_b-1, reverse runs t = L_b-1 … 0; each batch element on its own.
 * `step` computes each step (cellStep; recordReferenceSequence's also tapes it), `row` = t·B + b. */
export function runReferenceSequence(
  layer: ReferenceLayer,
  job: ReferenceSequenceInput,
  step: (x: Float64Array, h: Float64Array, c: Float64Array | null, row: number) => StepResult = (x, h, c) =>
    cellStep(layer, x, h, c),
): ReferenceSequenceResult {
  const { steps: T, batch: B, input } = job;
  const { inputSize: I, hiddenSize: H, outputSize: Hout } = layer;
  const output = new Float64Array(T * B * Hout);
  const hOut = new Float64Array(B * Hout);
  const cOut = job.c0 === null ? null : new Float64Array(B * H);
  const gates: Record<string, Float64Array> = {};
  for (const name of gateTraceNames(layer.cell)) gates[name] = new Float64Array(T * B * H);

  for (let b = 0; b < B; b++) {
    const length = job.seqLens === null ? T : job.seqLens[b];
    let h: Float64Array = job.h0.slice(b * Hout, (b + 1) * Hout);
    let c: Float64Array | null = job.c0 === null ? null : job.c0.slice(b * H, (b + 1) * H);
    for (let k = 0; k < length; k++) {
      const t = job.reverse ? length - 1 - k : k;
      const x = input.subarray((t * B + b) * I, (t * B + b + 1) * I);
      const result = step(x, h, c, t * B + b);
      h = result.h;
      c = result.c;
      output.set(h, (t * B + b) * Hout);
      for (const [name, values] of Object.entries(result.gates)) gates[name].set(values, (t * B + b) * H);
    }
    hOut.set(h, b * Hout);
    if (cOut !== null && c !== null) cOut.set(c, b * H);
  }
  return { output, h: hOut, c: cOut, gates };
}
