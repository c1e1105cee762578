import { gateCount } from '@gated/core';
import { cellStep, type StepIntermediates, type StepResult } from './cell-step.js';
import type { ReferenceLayer } from './reference-layer.js';

/** Everything the backward of one step of one batch row reads: the step's input and previous
 * state, and the intermediates its forward (cell-step.ts) gave. */
export interface StepValues extends StepIntermediates {
  /** [I] */
  readonly x: Float64Array;
  /** [Hout] */
  readonly hPrev: Float64Array;
  /** [H] (LSTM) or null */
  readonly cPrev: Float64Array | null;
  /** [H] c′ (LSTM) or null */
  readonly cNew: Float64Array | null;
}

/** One step's result (as cellStep gives it) with the values its backward needs. */
export interface RecordedStep {
  readonly result: StepResult;
  readonly values: StepValues;
}

/** cellStep, with its inputs and intermediates gathered for the tape. */
export function recordCellStep(
  layer: ReferenceLayer,
  x: Float64Array,
  h: Float64Array,
  c: Float64Array | null,
): RecordedStep {
  const result = cellStep(layer, x, h, c);
  const { pre, post, cellOut, hidden } = result;
  return { result, values: { x, hPrev: h, cPrev: c, pre, post, cNew: result.c, cellOut, hidden } };
}

type TapedField = 'hPrev' | 'cPrev' | 'pre' | 'post' | 'cNew' | 'cellOut' | 'hidden';

/** The fields one step of one batch row keeps on the tape, in tape order, with their sizes. */
function tapeFields(layer: ReferenceLayer): [TapedField, number][] {
  const H = layer.hiddenSize;
  const GH = gateCount(layer.cell) * H;
  const fields: [TapedField, number][] = [['hPrev', layer.outputSize]];
  if (layer.cell === 'lstm') fields.push(['cPrev', H]);
  fields.push(['pre', GH], ['post', GH]);
  if (layer.cell === 'lstm') fields.push(['cNew', H], ['cellOut', H]);
  if (layer.cell === 'gru') fields.push(['hidden', H]);
  return fields;
}

/** Values one step of one batch row keeps on the tape. */
export function stepTapeLength(layer: ReferenceLayer): number {
  return tapeFields(layer).reduce((sum, [, size]) => sum + size, 0);
}

/** Writes `values` (all but x, which the backward gets from the layer input) at `offset`. */
export function writeStepTape(
  tape: Float64Array,
  offset: number,
  layer: ReferenceLayer,
  values: StepValues,
): void {
  let at = offset;
  for (const [name, size] of tapeFields(layer)) {
    tape.set(values[name]!, at);
    at += size;
  }
}

/** The values `writeStepTape` wrote at `offset` (views into the tape), with the step's x. */
export function readStepTape(
  tape: Float64Array,
  offset: number,
  layer: ReferenceLayer,
  x: Float64Array,
): StepValues {
  const values: Record<TapedField, Float64Array | null> = {
    hPrev: null,
    cPrev: null,
    pre: null,
    post: null,
    cNew: null,
    cellOut: null,
    hidden: null,
  };
  let at = offset;
  for (const [name, size] of tapeFields(layer)) {
    values[name] = tape.subarray(at, at + size);
    at += size;
  }
  return { x, ...values, hPrev: values.hPrev!, pre: values.pre!, post: values.post! };
}
