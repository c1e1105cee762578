import { recordCellStep, stepTapeLength, writeStepTape } from './cell-step-tape.js';
import type { ReferenceLayer } from './reference-layer.js';
import {
  type ReferenceSequenceInput,
  type ReferenceSequenceResult,
  runReferenceSequence,
} from './reference-sequence.js';

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
  const slot = stepTapeLength(layer);
  return runReferenceSequence(layer, job, (x, h, c, row) => {
    const { result, values } = recordCellStep(layer, x, h, c);
    writeStepTape(tape, row * slot, layer, values);
    return result;
  });
}
