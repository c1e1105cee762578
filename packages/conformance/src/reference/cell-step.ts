import type { ReferenceLayer } from './reference-layer.js';

/** The values inside one step that its backward reads (cell-step-tape.ts keeps them). */
export interface StepIntermediates {
  /** [G·H] pre-activations before clip, gate rows in PyTorch order (LSTM i f g o with the
   * peephole terms; GRU r z n, n with the reset gate applied; RNN the one row block). */
  readonly pre: Float64Array;
  /** [G·H] post-activation values in the same order (a coupled LSTM's f is 1 − i). */
  readonly post: Float64Array;
  /** [H] h_act(c′) (LSTM) or null: r = o ⊙ cellOut is the (unprojected) output. */
  readonly cellOut: Float64Array | null;
  /** [H] (GRU) resetAfter: W_hn·h + b_hn (what r multiplies); resetBefore: r ⊙ h (what W_hn
   * multiplies); null otherwise. */
  readonly hidden: Float64Array | null;
}

/** The state after one step, the post-activation gate values (GATE_TRACE order names), and
 * the intermediates its backward reads. */
export interface StepResult extends StepIntermediates {
  /** [Hout] */
  readonly h: Float64Array;
  /** [H] (LSTM only) */
  readonly c: Float64Array | null;
  /** Gate name → [H] */
  readonly gates: Record<string, Float64Array>;
}

/** Row `row` of a row-major [rows, cols] matrix times v. */
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

/** W_ih·x + b_ih for gate row `row`. */
function inputPart(layer: ReferenceLayer, row: number, x: Float64Array): number {
  return dot(layer.weightIh, layer.inputSize, row, x) + biasAt(layer.biasIh, row);
}

/** W_hh·h + b_hh for gate row `row`. */
function hiddenPart(layer: ReferenceLayer, row: number, h: Float64Array): number {
  return dot(layer.weightHh, layer.outputSize, row, h) + biasAt(layer.biasHh, row);
}

/** LSTM, rows i f g o. Peepholes i, f read the old c, o reads the new c'; clip before every
 * activation; coupled input-forget sets f = 1 - i; projection h' = W_hr·r. */
export function lstmStep(
  layer: ReferenceLayer,
  x: Float64Array,
  h: Float64Array,
  c: Float64Array,
): StepResult {
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
  return { h: hNew, c: cNew, gates, pre, post, cellOut, hidden: null };
}

/** GRU, rows r z n; resetAfter chooses where the reset gate multiplies. */
export function gruStep(layer: ReferenceLayer, x: Float64Array, h: Float64Array): StepResult {
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
  // resetAfter = false needs the whole r ⊙ h vector before any n row.
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
  return { h: hNew, c: null, gates, pre, post, cellOut: null, hidden };
}

/** Elman RNN: h' = act(W_ih·x + b_ih + W_hh·h + b_hh). */
export function rnnStep(layer: ReferenceLayer, x: Float64Array, h: Float64Array): StepResult {
  const H = layer.hiddenSize;
  const pre = new Float64Array(H);
  const post = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    pre[j] = inputPart(layer, j, x) + hiddenPart(layer, j, h);
    post[j] = layer.candidateActivation(clipped(layer, pre[j]));
  }
  return { h: post, c: null, gates: { h: post.slice() }, pre, post, cellOut: null, hidden: null };
}

export function cellStep(
  layer: ReferenceLayer,
  x: Float64Array,
  h: Float64Array,
  c: Float64Array | null,
): StepResult {
  if (layer.cell === 'lstm') return lstmStep(layer, x, h, c!);
  if (layer.cell === 'gru') return gruStep(layer, x, h);
  return rnnStep(layer, x, h);
}
