import { gateCount } from '@gated/core';
import type { StepResult } from './cell-step.js';
import type { ReferenceLayer } from './reference-layer.js';

/** Everything the backward of one step of one batch row reads: the step's input and previous
 * state, and every intermediate value of the forward (cell-step.ts's math, kept). */
export interface StepValues {
  /** [I] */
  readonly x: Float64Array;
  /** [Hout] */
  readonly hPrev: Float64Array;
  /** [H] (LSTM) or null */
  readonly cPrev: Float64Array | null;
  /** [G·H] pre-activations before clip, gate rows in PyTorch order (LSTM i f g o with the
   * peephole terms; GRU r z n, n with the reset gate applied; RNN the one row block). */
  readonly pre: Float64Array;
  /** [G·H] post-activation values in the same order (a coupled LSTM's f is 1 − i). */
  readonly post: Float64Array;
  /** [H] c′ (LSTM) or null */
  readonly cNew: Float64Array | null;
  /** [H] h_act(c′) (LSTM) or null: r = o ⊙ cellOut is the (unprojected) output. */
  readonly cellOut: Float64Array | null;
  /** [H] (GRU) resetAfter: W_hn·h + b_hn (what r multiplies); resetBefore: r ⊙ h (what W_hn
   * multiplies); null otherwise. */
  readonly hidden: Float64Array | null;
}

/** One step's result (as cellStep gives it) with the values its backward needs. */
export interface RecordedStep {
  readonly result: StepResult;
  readonly values: StepValues;
}

function dot(matrix: Float64Array, cols: number, row: number, v: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < cols; j++) sum += matrix[row * cols + j] * v[j];
  return sum;
}

const biasAt = (bias: Float64Array | null, row: number): number => (bias === null ? 0 : bias[row]);

/** clamp(a, -clip, clip), or a when there is no clip. */
export function clipped(layer: ReferenceLayer, a: number): number {
  return layer.clip === null ? a : Math.min(layer.clip, Math.max(-layer.clip, a));
}

function inputPart(layer: ReferenceLayer, row: number, x: Float64Array): number {
  return dot(layer.weightIh, layer.inputSize, row, x) + biasAt(layer.biasIh, row);
}

function hiddenPart(layer: ReferenceLayer, row: number, h: Float64Array): number {
  return dot(layer.weightHh, layer.outputSize, row, h) + biasAt(layer.biasHh, row);
}

/** LSTM step, the same operations in the same order as cell-step.ts's lstmStep (so the same
 * f64 values), keeping the pre-activations, c′ and h_act(c′). */
export function recordLstmStep(
  layer: ReferenceLayer,
  x: Float64Array,
  h: Float64Array,
  c: Float64Array,
): RecordedStep {
  const H = layer.hiddenSize;
  const ph = layer.weightPh;
  const preOf = (gate: number, j: number) =>
    inputPart(layer, gate * H + j, x) + hiddenPart(layer, gate * H + j, h);
  const pre = new Float64Array(4 * H);
  const post = new Float64Array(4 * H);
  const cNew = new Float64Array(H);
  const cellOut = new Float64Array(H);
  const r = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    pre[j] = preOf(0, j) + (ph ? ph[j] * c[j] : 0);
    pre[H + j] = preOf(1, j) + (ph ? ph[H + j] * c[j] : 0);
    pre[2 * H + j] = preOf(2, j);
    const i = layer.gateActivation(clipped(layer, pre[j]));
    const f = layer.coupledInputForget ? 1 - i : layer.gateActivation(clipped(layer, pre[H + j]));
    const g = layer.candidateActivation(clipped(layer, pre[2 * H + j]));
    cNew[j] = f * c[j] + i * g;
    pre[3 * H + j] = preOf(3, j) + (ph ? ph[2 * H + j] * cNew[j] : 0);
    const o = layer.gateActivation(clipped(layer, pre[3 * H + j]));
    cellOut[j] = layer.cellActivation(cNew[j]);
    r[j] = o * cellOut[j];
    post[j] = i;
    post[H + j] = f;
    post[2 * H + j] = g;
    post[3 * H + j] = o;
  }
  let hNew = r;
  if (layer.weightHr !== null) {
    hNew = new Float64Array(layer.outputSize);
    for (let p = 0; p < layer.outputSize; p++) hNew[p] = dot(layer.weightHr, H, p, r);
  }
  const gates = {
    i: post.slice(0, H),
    f: post.slice(H, 2 * H),
    g: post.slice(2 * H, 3 * H),
    o: post.slice(3 * H),
    c: cNew,
  };
  return {
    result: { h: hNew, c: cNew, gates },
    values: { x, hPrev: h, cPrev: c, pre, post, cNew, cellOut, hidden: null },
  };
}

/** GRU step as cell-step.ts's gruStep, keeping pre-activations and W_hn·h + b_hn or r ⊙ h. */
export function recordGruStep(layer: ReferenceLayer, x: Float64Array, h: Float64Array): RecordedStep {
  const H = layer.hiddenSize;
  const pre = new Float64Array(3 * H);
  const post = new Float64Array(3 * H);
  const hNew = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    pre[j] = inputPart(layer, j, x) + hiddenPart(layer, j, h);
    pre[H + j] = inputPart(layer, H + j, x) + hiddenPart(layer, H + j, h);
    post[j] = layer.gateActivation(clipped(layer, pre[j]));
    post[H + j] = layer.gateActivation(clipped(layer, pre[H + j]));
  }
  const rh = h.map((v, j) => post[j] * v);
  const hidden = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    const row = 2 * H + j;
    if (layer.resetAfter) {
      hidden[j] = hiddenPart(layer, row, h);
      pre[row] = inputPart(layer, row, x) + post[j] * hidden[j];
    } else {
      hidden[j] = rh[j];
      pre[row] = inputPart(layer, row, x) + hiddenPart(layer, row, rh);
    }
    post[row] = layer.candidateActivation(clipped(layer, pre[row]));
    hNew[j] = (1 - post[H + j]) * post[row] + post[H + j] * h[j];
  }
  const gates = { r: post.slice(0, H), z: post.slice(H, 2 * H), n: post.slice(2 * H) };
  return {
    result: { h: hNew, c: null, gates },
    values: { x, hPrev: h, cPrev: null, pre, post, cNew: null, cellOut: null, hidden },
  };
}

/** Elman RNN step as cell-step.ts's rnnStep, keeping the pre-activation. */
export function recordRnnStep(layer: ReferenceLayer, x: Float64Array, h: Float64Array): RecordedStep {
  const H = layer.hiddenSize;
  const pre = new Float64Array(H);
  const post = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    pre[j] = inputPart(layer, j, x) + hiddenPart(layer, j, h);
    post[j] = layer.candidateActivation(clipped(layer, pre[j]));
  }
  return {
    result: { h: post, c: null, gates: { h: post.slice() } },
    values: { x, hPrev: h, cPrev: null, pre, post, cNew: null, cellOut: null, hidden: null },
  };
}

export function recordCellStep(
  layer: ReferenceLayer,
  x: Float64Array,
  h: Float64Array,
  c: Float64Array | null,
): RecordedStep {
  if (layer.cell === 'lstm') return recordLstmStep(layer, x, h, c!);
  if (layer.cell === 'gru') return recordGruStep(layer, x, h);
  return recordRnnStep(layer, x, h);
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
