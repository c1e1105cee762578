import { gateTraceNames } from '@gated/core';
import { recordCellStep, stepTapeLength, writeStepTape } from './cell-step-tape.js';
import type { ReferenceLayer } from './reference-layer.js';
import type { ReferenceSequenceInput, ReferenceSequenceResult } from './reference-sequence.js';

/** Values a recorded forward of `steps` × `batch` keeps for one layer-direction: one step
 * record (cell-step-tape.ts) per (t, b), at ((t·B + b) · stepTapeLength). */
export function sequenceTapeLength(layer: ReferenceLayer, steps: number, batch: number): number {
  return steps * batch * stepTapeLength(layer);
}

/** runReferenceSequence that also writes every processed step's values to `tape` (slots of
 * masked steps are left as they are: the backward never reads them). */
export function recordReferenceSequence(
  layer: ReferenceLayer,
  job: ReferenceSequenceInput,
  tape: Float64Array,
): ReferenceSequenceResult {
  const { steps: T, batch: B, input } = job;
  const { inputSize: I, hiddenSize: H, outputSize: Hout } = layer;
  const slot = stepTapeLength(layer);
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
      const { result, values } = recordCellStep(layer, x, h, c);
      writeStepTape(tape, (t * B + b) * slot, layer, values);
      h = result.h;
      c = result.c;
      output.set(h, (t * B + b) * Hout);
      for (const [name, trace] of Object.entries(result.gates)) gates[name].set(trace, (t * B + b) * H);
    }
    hOut.set(h, b * Hout);
    if (cOut !== null && c !== null) cOut.set(c, b * H);
  }
  return { output, h: hOut, c: cOut, gates };
}
