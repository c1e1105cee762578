import {
  GatedError,
  gateCount,
  layerInputSize,
  type NormalizedConfig,
  normalizeActivation,
  normalizeConfig,
  numDirections,
  type RecurrentConfig,
  toOnnx,
  validateWeights,
  type Weights,
} from '@gated/core';
import { floatTensor } from './const-tensor.js';
import { GraphBuilder } from './graph-builder.js';
import { onnxActivationAttributes } from './onnx-activations.js';
import { encodeModel } from './proto/codec.js';

export interface ExportOnnxOptions {
  /** Default-domain opset to declare, 10 to 21 (default 17). */
  opset?: number;
  /** Add graph inputs `initial_h` [L·D, B, H] (and `initial_c` for LSTM); else states start at zero. */
  initialState?: boolean;
  /** Add the graph input `sequence_lens` (int32 [B]). */
  sequenceLens?: boolean;
  /** ModelProto.producer_name (default 'gated'). */
  producerName?: string;
}

export const DEFAULT_OPSET = 17;

const OP_TYPE = { lstm: 'LSTM', gru: 'GRU', rnn: 'RNN' } as const;

function irVersion(opset: number): number {
  return opset <= 14 ? 7 : opset <= 18 ? 8 : opset <= 20 ? 9 : 10;
}

/** Writes a model as an ONNX graph: one LSTM/GRU/RNN node per layer, with inputs X [T, B, I]
 * ([B, T, I] with batchFirst, transposed in the graph), optional sequence_lens, initial_h and
 * initial_c, and outputs Y [T, B, D·H], Y_h [L·D, B, H] and Y_c (LSTM), the shapes of gated's
 * forward. Projection (projSize > 0) is UNSUPPORTED: the ONNX LSTM has no projection and
 * emulating it would need a Loop over time. Synchronous. */
export function exportOnnx(
  config: RecurrentConfig | NormalizedConfig,
  weights: Weights,
  options: ExportOnnxOptions = {},
): Uint8Array {
  const c = normalizeConfig(config);
  validateWeights(c, weights);
  const opset = options.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < 10 || opset > 21) {
    throw new GatedError(
      'UNSUPPORTED',
      `options.opset: expected an integer from 10 to 21, received ${opset}`,
    );
  }
  if (c.projSize > 0) {
    throw new GatedError(
      'UNSUPPORTED',
      `config.projSize: ONNX LSTM has no projection, expected 0, received ${c.projSize}`,
    );
  }
  const g = new GraphBuilder(opset);
  const D = numDirections(c);
  const H = c.hiddenSize;
  const L = c.numLayers;
  const lstm = c.cell === 'lstm';
  const [T, B] = c.batchFirst ? ['B', 'T'] : ['T', 'B'];
  g.input('X', [T, B, c.inputSize]);
  const seqLens = options.sequenceLens ? g.input('sequence_lens', ['B'], 'int32') : '';
  const initialH = options.initialState ? g.input('initial_h', [L * D, 'B', H]) : '';
  const initialC = options.initialState && lstm ? g.input('initial_c', [L * D, 'B', H]) : '';

  let x = c.batchFirst ? g.node('Transpose', ['X'], { perm: [1, 0, 2] }) : 'X';
  const finalH: string[] = [];
  const finalC: string[] = [];
  // One Split per state input rather than a Slice per layer: linear in layers for
  // onnxruntime's session creation too (per-layer Slices made it super-linear).
  const splitStates = (name: string): string[] => {
    if (!name) return [];
    if (L === 1) return [name];
    const parts = Array.from({ length: L }, (_, layer) => `${name}_l${layer}`);
    g.node('Split', [name], opset >= 18 ? { axis: 0, num_outputs: L } : { axis: 0 }, parts);
    return parts;
  };
  const initialHParts = splitStates(initialH);
  const initialCParts = splitStates(initialC);
  for (let layer = 0; layer < L; layer++) {
    const w = toOnnx(c, weights, layer);
    const rows = gateCount(c.cell) * H;
    const inputs = [
      x,
      g.initializer(floatTensor(`W_l${layer}`, [D, rows, layerInputSize(c, layer)], w.W)),
      g.initializer(floatTensor(`R_l${layer}`, [D, rows, H], w.R)),
      w.B ? g.initializer(floatTensor(`B_l${layer}`, [D, 2 * rows], w.B)) : '',
      seqLens,
      initialHParts[layer] ?? '',
      lstm ? (initialCParts[layer] ?? '') : '',
      w.P ? g.initializer(floatTensor(`P_l${layer}`, [D, 3 * H], w.P)) : '',
    ];
    while (inputs.length > 0 && inputs[inputs.length - 1] === '') inputs.pop();
    const outputs = [`Y_l${layer}`, `Y_h_l${layer}`, ...(lstm ? [`Y_c_l${layer}`] : [])];
    g.node(OP_TYPE[c.cell], inputs, recurrentAttributes(c), outputs);
    finalH.push(outputs[1]);
    if (lstm) finalC.push(outputs[2]);
    // Y is [T, D, B, H]; the next layer and the caller want [T, B, D·H].
    x =
      D === 1
        ? g.squeeze(outputs[0], 1)
        : g.node(
            'Reshape',
            [g.node('Transpose', [outputs[0]], { perm: [0, 2, 1, 3] }), g.int64Const([0, 0, -1])],
            {},
          );
  }
  g.node(c.batchFirst ? 'Transpose' : 'Identity', [x], c.batchFirst ? { perm: [1, 0, 2] } : {}, ['Y']);
  g.output('Y', [T, B, D * H]);
  g.node(L === 1 ? 'Identity' : 'Concat', finalH, L === 1 ? {} : { axis: 0 }, ['Y_h']);
  g.output('Y_h', [L * D, 'B', H]);
  if (lstm) {
    g.node(L === 1 ? 'Identity' : 'Concat', finalC, L === 1 ? {} : { axis: 0 }, ['Y_c']);
    g.output('Y_c', [L * D, 'B', H]);
  }
  return encodeModel({
    ir_version: irVersion(opset),
    producer_name: options.producerName ?? 'gated',
    opset_import: [{ domain: '', version: opset }],
    graph: g.build('gated'),
  });
}

const DEFAULT_ONNX_ACTIVATIONS = {
  lstm: ['sigmoid', 'tanh', 'tanh'],
  gru: ['sigmoid', 'tanh'],
  rnn: ['tanh'],
} as const;

function recurrentAttributes(c: NormalizedConfig): Record<string, unknown> {
  const D = numDirections(c);
  const attrs: Record<string, unknown> = {
    hidden_size: c.hiddenSize,
    direction: D === 2 ? 'bidirectional' : 'forward',
  };
  if (c.clip !== null) attrs.clip = c.clip;
  if (c.cell === 'lstm' && c.coupledInputForget) attrs.input_forget = 1;
  if (c.cell === 'gru') attrs.linear_before_reset = c.resetAfter ? 1 : 0;
  const { gate, candidate, cell } = c.activations;
  const specs =
    c.cell === 'lstm' ? [gate, candidate, cell] : c.cell === 'gru' ? [gate, candidate] : [candidate];
  const hasParams = specs.some((s) => {
    const defaults = normalizeActivation(s.name, 'activation');
    return s.alpha !== defaults.alpha || s.beta !== defaults.beta;
  });
  if (hasParams || specs.some((s, i) => s.name !== DEFAULT_ONNX_ACTIVATIONS[c.cell][i])) {
    const { names, alphas, betas } = onnxActivationAttributes(specs);
    attrs.activations = D === 2 ? [...names, ...names] : names;
    // Always written, defaults included: onnxruntime does not apply the ONNX defaults when the
    // attributes are absent (scaledTanh and affine gave 0, thresholdedRelu passed 0.5 through).
    if (alphas.length > 0) attrs.activation_alpha = D === 2 ? [...alphas, ...alphas] : alphas;
    if (betas.length > 0) attrs.activation_beta = D === 2 ? [...betas, ...betas] : betas;
  }
  return attrs;
}
