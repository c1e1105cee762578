import type { ReferenceLayer } from './reference-layer.js';

/** The state after one step, and the post-activation gate values (GATE_TRACE order names). */
export interface StepResult {
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
function clipped(layer: ReferenceLayer, a: number): number {
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
  const pre = (gate: number, j: number) =>
    inputPart(layer, gate * H + j, x) + hiddenPart(layer, gate * H + j, h);
  const i = new Float64Array(H);
  const f = new Float64Array(H);
  const g = new Float64Array(H);
  const o = new Float64Array(H);
  const cNew = new Float64Array(H);
  const r = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    const ai = pre(0, j) + (ph ? ph[j] * c[j] : 0);
    const af = pre(1, j) + (ph ? ph[H + j] * c[j] : 0);
    i[j] = layer.gateActivation(clipped(layer, ai));
    f[j] = layer.coupledInputForget ? 1 - i[j] : layer.gateActivation(clipped(layer, af));
    g[j] = layer.candidateActivation(clipped(layer, pre(2, j)));
    cNew[j] = f[j] * c[j] + i[j] * g[j];
    const ao = pre(3, j) + (ph ? ph[2 * H + j] * cNew[j] : 0);
    o[j] = layer.gateActivation(clipped(layer, ao));
    r[j] = o[j] * layer.cellActivation(cNew[j]);
  }
  let hNew = r;
  if (layer.weightHr !== null) {
    hNew = new Float64Array(layer.outputSize);
    for (let p = 0; p < layer.outputSize; p++) hNew[p] = dot(layer.weightHr, H, p, r);
  }
  return { h: hNew, c: cNew, gates: { i, f, g, o, c: cNew } };
}

/** GRU, rows r z n; resetAfter chooses where the reset gate multiplies. */
export function gruStep(layer: ReferenceLayer, x: Float64Array, h: Float64Array): StepResult {
  const H = layer.hiddenSize;
  const r = new Float64Array(H);
  const z = new Float64Array(H);
  const n = new Float64Array(H);
  const hNew = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    r[j] = layer.gateActivation(clipped(layer, inputPart(layer, j, x) + hiddenPart(layer, j, h)));
    z[j] = layer.gateActivation(clipped(layer, inputPart(layer, H + j, x) + hiddenPart(layer, H + j, h)));
  }
  // resetAfter = false needs the whole r ⊙ h vector before any n row.
  const rh = h.map((v, j) => r[j] * v);
  for (let j = 0; j < H; j++) {
    const row = 2 * H + j;
    const a = layer.resetAfter
      ? inputPart(layer, row, x) + r[j] * hiddenPart(layer, row, h)
      : inputPart(layer, row, x) + hiddenPart(layer, row, rh);
    n[j] = layer.candidateActivation(clipped(layer, a));
    hNew[j] = (1 - z[j]) * n[j] + z[j] * h[j];
  }
  return { h: hNew, c: null, gates: { r, z, n } };
}

/** Elman RNN: h' = act(W_ih·x + b_ih + W_hh·h + b_hh). */
export function rnnStep(layer: ReferenceLayer, x: Float64Array, h: Float64Array): StepResult {
  const hNew = new Float64Array(layer.hiddenSize);
  for (let j = 0; j < layer.hiddenSize; j++) {
    hNew[j] = layer.candidateActivation(clipped(layer, inputPart(layer, j, x) + hiddenPart(layer, j, h)));
  }
  return { h: hNew, c: null, gates: { h: hNew } };
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
