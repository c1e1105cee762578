import {
  type AnyRecurrentConfig,
  layerInputSize,
  type NormalizedConfig,
  normalizeConfig,
  numDirections,
} from '../config.js';
import { gateCount } from '../gates.js';
import { layerWeightNames, type Weights } from '../weights.js';
import { expectAbsent, expectLayer, expectTensor, requireRepresentable } from './check.js';
import { fromForeignRows, gateIndices, toForeignRows } from './gate-order.js';

/** The weight inputs of one ONNX LSTM / GRU / RNN node (one gated layer, both directions):
 * - `W` [D, G·H, I], gate rows i,o,f,c (LSTM), z,r,h (GRU), h (RNN);
 * - `R` [D, G·H, H];
 * - `B` [D, 2·G·H] = (Wb, Rb); optional in ONNX (zeros), absent when gated `bias` is false;
 * - `P` [D, 3H] peepholes i,o,f (LSTM only); optional in ONNX (zeros).
 * GRU `linear_before_reset` = 1 is gated `resetAfter: true`; the weights are laid out alike. */
export interface OnnxRecurrentWeights {
  readonly W: Float32Array;
  readonly R: Float32Array;
  readonly B?: Float32Array;
  readonly P?: Float32Array;
}

const ONNX_ORDER = { lstm: ['i', 'o', 'f', 'g'], gru: ['z', 'r', 'n'], rnn: ['h'] } as const;
/** ONNX P is i,o,f; gated `weight_ph` is i,f,o. Indices into gated's order. */
const PEEPHOLE_ORDER = [0, 2, 1];

function representable(config: AnyRecurrentConfig): NormalizedConfig {
  const c = normalizeConfig(config);
  requireRepresentable(c, 'ONNX', { cells: ['lstm', 'gru', 'rnn'], peephole: true });
  return c;
}

/** The tensors of gated layer `layer` (a partial `Weights`) from the inputs of its ONNX node.
 * A missing B or P is zeros, as in ONNX. */
export function fromOnnx(config: AnyRecurrentConfig, layer: number, node: OnnxRecurrentWeights): Weights {
  const c = representable(config);
  expectLayer(c, layer);
  const D = numDirections(c);
  const G = gateCount(c.cell);
  const H = c.hiddenSize;
  const I = layerInputSize(c, layer);
  const order = gateIndices(c.cell, ONNX_ORDER[c.cell]);
  const W = expectTensor('W', node?.W, [D, G * H, I]);
  const R = expectTensor('R', node.R, [D, G * H, H]);
  const B = c.bias && node.B !== undefined ? expectTensor('B', node.B, [D, 2 * G * H]) : null;
  if (!c.bias) expectAbsent('B', node.B, 'config.bias is false');
  const P = c.peephole && node.P !== undefined ? expectTensor('P', node.P, [D, 3 * H]) : null;
  if (!c.peephole) expectAbsent('P', node.P, 'config.peephole is false');
  const out: Record<string, Float32Array> = {};
  for (let d = 0; d < D; d++) {
    const names = layerWeightNames(c, layer, d);
    out[names.weightIh] = fromForeignRows(W.subarray(d * G * H * I, (d + 1) * G * H * I), H, I, order);
    out[names.weightHh] = fromForeignRows(R.subarray(d * G * H * H, (d + 1) * G * H * H), H, H, order);
    if (names.biasIh !== null && names.biasHh !== null) {
      const base = d * 2 * G * H;
      out[names.biasIh] = B
        ? fromForeignRows(B.subarray(base, base + G * H), H, 1, order)
        : new Float32Array(G * H);
      out[names.biasHh] = B
        ? fromForeignRows(B.subarray(base + G * H, base + 2 * G * H), H, 1, order)
        : new Float32Array(G * H);
    }
    if (names.weightPh !== null) {
      out[names.weightPh] = P
        ? fromForeignRows(P.subarray(d * 3 * H, (d + 1) * 3 * H), H, 1, PEEPHOLE_ORDER)
        : new Float32Array(3 * H);
    }
  }
  return out;
}

/** The ONNX node inputs of gated layer `layer`. B is present when the config has biases, P
 * when it has peepholes. */
export function toOnnx(config: AnyRecurrentConfig, weights: Weights, layer: number): OnnxRecurrentWeights {
  const c = representable(config);
  expectLayer(c, layer);
  const D = numDirections(c);
  const G = gateCount(c.cell);
  const H = c.hiddenSize;
  const I = layerInputSize(c, layer);
  const order = gateIndices(c.cell, ONNX_ORDER[c.cell]);
  const W = new Float32Array(D * G * H * I);
  const R = new Float32Array(D * G * H * H);
  const B = c.bias ? new Float32Array(D * 2 * G * H) : undefined;
  const P = c.peephole ? new Float32Array(D * 3 * H) : undefined;
  for (let d = 0; d < D; d++) {
    const names = layerWeightNames(c, layer, d);
    const tensor = (name: string, shape: number[]) => expectTensor(`weights.${name}`, weights[name], shape);
    W.set(toForeignRows(tensor(names.weightIh, [G * H, I]), H, I, order), d * G * H * I);
    R.set(toForeignRows(tensor(names.weightHh, [G * H, H]), H, H, order), d * G * H * H);
    if (B && names.biasIh !== null && names.biasHh !== null) {
      B.set(toForeignRows(tensor(names.biasIh, [G * H]), H, 1, order), d * 2 * G * H);
      B.set(toForeignRows(tensor(names.biasHh, [G * H]), H, 1, order), (d * 2 + 1) * G * H);
    }
    if (P && names.weightPh !== null)
      P.set(toForeignRows(tensor(names.weightPh, [3 * H]), H, 1, PEEPHOLE_ORDER), d * 3 * H);
  }
  return { W, R, ...(B ? { B } : {}), ...(P ? { P } : {}) };
}
