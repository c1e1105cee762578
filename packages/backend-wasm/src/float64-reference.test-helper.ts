// A float64 transcription of DESIGN.md's math, for this package's tests until @gated/conformance
// is available: every cell and option, stacking, both directions, seqLens.
import {
  activationFunction,
  layerInputSize,
  layerWeightNames,
  type NormalizedConfig,
  normalizeConfig,
  numDirections,
  outputSize,
  type RecurrentConfig,
  type Weights,
} from '@gated/core';

export interface ReferenceResult {
  output: Float64Array;
  h: Float64Array;
  c: Float64Array;
  gates: Float64Array[];
}

/** x is [T, B, I] time-major. Gates are per layer·D + direction, [traceCount, T, B, H].
 * Weights and x may be Float64Array (finite differences), h0 / c0 default to zeros. */
export function referenceForward(
  config: RecurrentConfig,
  weights: Weights,
  x: Float32Array | Float64Array,
  T: number,
  B: number,
  seqLens?: number[],
  h0?: ArrayLike<number>,
  c0?: ArrayLike<number>,
): ReferenceResult {
  const cfg = normalizeConfig(config);
  const D = numDirections(cfg);
  const H = cfg.hiddenSize;
  const P = outputSize(cfg);
  const hAll = new Float64Array(cfg.numLayers * D * B * P);
  const cAll = new Float64Array(cfg.numLayers * D * B * H);
  if (h0) hAll.set(h0);
  if (c0) cAll.set(c0);
  const gates: Float64Array[] = [];
  let input = Float64Array.from(x);
  for (let layer = 0; layer < cfg.numLayers; layer++) {
    const I = layerInputSize(cfg, layer);
    const out = new Float64Array(T * B * D * P);
    for (let d = 0; d < D; d++) {
      const trace = runLayer(
        cfg,
        weights,
        layer,
        d,
        input,
        I,
        T,
        B,
        seqLens,
        out,
        D * P,
        d * P,
        hAll,
        cAll,
        (layer * D + d) * B,
      );
      gates.push(trace);
    }
    input = out;
  }
  return { output: input, h: hAll, c: cAll, gates };
}

function runLayer(
  cfg: NormalizedConfig,
  weights: Weights,
  layer: number,
  d: number,
  input: Float64Array,
  I: number,
  T: number,
  B: number,
  seqLens: number[] | undefined,
  out: Float64Array,
  stride: number,
  offset: number,
  hAll: Float64Array,
  cAll: Float64Array,
  stateRow: number,
): Float64Array {
  const n = layerWeightNames(cfg, layer, d);
  const H = cfg.hiddenSize;
  const P = outputSize(cfg);
  const G = cfg.cell === 'lstm' ? 4 : cfg.cell === 'gru' ? 3 : 1;
  const wih = weights[n.weightIh],
    whh = weights[n.weightHh];
  const bih = n.biasIh ? weights[n.biasIh] : new Float32Array(G * H);
  const bhh = n.biasHh ? weights[n.biasHh] : new Float32Array(G * H);
  const f = activationFunction(cfg.activations.gate);
  const g = activationFunction(cfg.activations.candidate);
  const hAct = activationFunction(cfg.activations.cell);
  const clip = (v: number) => (cfg.clip === null ? v : Math.min(cfg.clip, Math.max(-cfg.clip, v)));
  const traceCount = cfg.cell === 'lstm' ? 5 : G;
  const trace = new Float64Array(traceCount * T * B * H);
  for (let b = 0; b < B; b++) {
    const len = seqLens ? seqLens[b] : T;
    const h = hAll.slice((stateRow + b) * P, (stateRow + b + 1) * P);
    const c = cAll.slice((stateRow + b) * H, (stateRow + b + 1) * H);
    for (let s = 0; s < len; s++) {
      const t = d === 1 ? len - 1 - s : s;
      const xt = input.subarray((t * B + b) * I, (t * B + b + 1) * I);
      const ax = (row: number) => {
        let v = bih[row];
        for (let k = 0; k < I; k++) v += wih[row * I + k] * xt[k];
        return v;
      };
      const ah = (row: number, hv: ArrayLike<number>) => {
        let v = bhh[row];
        for (let k = 0; k < P; k++) v += whh[row * P + k] * hv[k];
        return v;
      };
      const tr = (gate: number, j: number, v: number) => {
        trace[((gate * T + t) * B + b) * H + j] = v;
      };
      let hNew: Float64Array;
      if (cfg.cell === 'lstm') {
        const ph = n.weightPh ? weights[n.weightPh] : null;
        const r = new Float64Array(H);
        for (let j = 0; j < H; j++) {
          const i = f(clip(ax(j) + ah(j, h) + (ph ? ph[j] * c[j] : 0)));
          const fg = cfg.coupledInputForget
            ? 1 - i
            : f(clip(ax(H + j) + ah(H + j, h) + (ph ? ph[H + j] * c[j] : 0)));
          const gg = g(clip(ax(2 * H + j) + ah(2 * H + j, h)));
          const cNew = fg * c[j] + i * gg;
          const o = f(clip(ax(3 * H + j) + ah(3 * H + j, h) + (ph ? ph[2 * H + j] * cNew : 0)));
          r[j] = o * hAct(cNew);
          c[j] = cNew;
          tr(0, j, i);
          tr(1, j, fg);
          tr(2, j, gg);
          tr(3, j, o);
          tr(4, j, cNew);
        }
        if (n.weightHr) {
          const whr = weights[n.weightHr];
          hNew = new Float64Array(P);
          for (let p = 0; p < P; p++) {
            let v = 0;
            for (let j = 0; j < H; j++) v += whr[p * H + j] * r[j];
            hNew[p] = v;
          }
        } else hNew = r;
      } else if (cfg.cell === 'gru') {
        hNew = new Float64Array(H);
        const rs = new Float64Array(H);
        for (let j = 0; j < H; j++) rs[j] = f(clip(ax(j) + ah(j, h)));
        const rh = h.map((v, j) => v * rs[j]);
        for (let j = 0; j < H; j++) {
          const z = f(clip(ax(H + j) + ah(H + j, h)));
          const nn = cfg.resetAfter
            ? g(clip(ax(2 * H + j) + rs[j] * ah(2 * H + j, h)))
            : g(clip(ax(2 * H + j) + ah(2 * H + j, rh)));
          hNew[j] = (1 - z) * nn + z * h[j];
          tr(0, j, rs[j]);
          tr(1, j, z);
          tr(2, j, nn);
        }
      } else {
        hNew = new Float64Array(H);
        for (let j = 0; j < H; j++) {
          hNew[j] = g(clip(ax(j) + ah(j, h)));
          tr(0, j, hNew[j]);
        }
      }
      h.set(hNew);
      out.set(hNew, (t * B + b) * stride + offset);
    }
    hAll.set(h, (stateRow + b) * P);
    cAll.set(c, (stateRow + b) * H);
  }
  return trace;
}

/** Largest |a − ref| − (1e-5 + 1e-4·|ref|) over all elements: ≤ 0 means within tolerance. */
export function worstExcess(actual: Float32Array, reference: Float64Array): number {
  let worst = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < reference.length; i++) {
    const excess = Math.abs(actual[i] - reference[i]) - (1e-5 + 1e-4 * Math.abs(reference[i]));
    if (!(excess <= worst)) worst = Number.isNaN(excess) ? Number.POSITIVE_INFINITY : Math.max(worst, excess);
  }
  return worst;
}
