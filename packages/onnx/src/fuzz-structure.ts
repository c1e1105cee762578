// Test helper (excluded from the build, used by fuzz-structure.test.ts): random ONNX models
// generated from structure — stacks of LSTM / GRU / RNN nodes with random attributes, weights
// written every way producers write them (or broken ones), torch.onnx.export plumbing between
// layers, and graph-level damage — with what the importer must answer for each.
import { normalizeConfig, type OnnxRecurrentWeights } from '@gated/core';
import { attr, ModelDraft, Picker } from './fuzz-draft.js';
import { type WeightTensor, weightInput } from './fuzz-weights.js';
import { encodeModel } from './proto/codec.js';
import type { OnnxAttribute } from './proto/types.js';

export interface StructureCase {
  readonly bytes: Uint8Array;
  /** Why the file must be refused; empty when it must import (budget permitting). */
  readonly defects: readonly string[];
  /** Choices after which either answer is right. */
  readonly doubts: readonly string[];
  /** The config a clean file must import as. */
  readonly expected: {
    cell: 'lstm' | 'gru' | 'rnn';
    inputSize: number;
    hiddenSize: number;
    numLayers: number;
    bidirectional: boolean;
    batchFirst: boolean;
  };
  /** What layer 0's node reads, in ONNX layout (W, R and B or P when present). */
  readonly layer0: OnnxRecurrentWeights;
  /** Bytes of weights a clean file imports to. */
  readonly weightBytes: number;
}

const CELLS = [
  { op: 'LSTM', cell: 'lstm', gates: 4, slots: 3 },
  { op: 'GRU', cell: 'gru', gates: 3, slots: 2 },
  { op: 'RNN', cell: 'rnn', gates: 1, slots: 1 },
] as const;

const ACTIVATIONS = ['Sigmoid', 'Tanh', 'Relu', 'HardSigmoid', 'LeakyRelu', 'ThresholdedRelu', 'ScaledTanh'];
const MORE_ACTIVATIONS = ['Affine', 'Elu', 'Softsign', 'Softplus', 'sigmoid', 'TANH'];

export function randomModel(random: () => number): StructureCase {
  const p = new Picker(random);
  const draft = new ModelDraft(p.chance(0.85) ? p.int(10, 21) : p.int(1, 9));
  const spec = p.pick(CELLS);
  const layerCount = p.pick([1, 1, 1, p.int(2, 4), p.int(2, 4), p.int(2, 4), p.int(5, 40)]);
  // Rarely a deep stack, log-uniform over 41..1,500 layers (past core's bound it must fail fast;
  // 1,500 keeps files under ~1 MB, which protobufjs alone takes ~300 ms to decode here).
  const L = p.chance(0.005) ? Math.round(41 * (1500 / 41) ** p.random()) : layerCount;
  if (!coreAcceptsLayers(L)) draft.defect(`${L} layers`);
  const D = p.chance(0.3) ? 2 : 1;
  // Deep stacks get small layers, to keep files under ~1 MB (decoding alone runs ~20 MB/s).
  const H = L > 40 ? p.int(1, 2) : p.chance(0.05) ? p.int(16, 48) : p.int(1, 6);
  const I = L > 40 ? p.int(1, 2) : p.chance(0.05) ? p.int(16, 48) : p.int(1, 6);
  const G = spec.gates;
  const layout = p.chance(0.12) ? 1 : 0;
  const transposedInput = layout === 0 && p.chance(0.1);
  const attributes = nodeAttributes(draft, p, spec, D, H, layout);
  const withBias = p.chance(0.7);
  const withPeephole = spec.cell === 'lstm' && p.chance(0.2);
  const longName = p.chance(0.01) ? 'n'.repeat(p.int(10_000, 100_000)) : '';

  const shared = new Map<string, WeightTensor & { name: string }>();
  let x = draft.input(p.chance(0.01) ? `X${'x'.repeat(p.int(10_000, 100_000))}` : 'X');
  if (transposedInput) x = draft.node('Transpose', [x], [attr.ints('perm', [1, 0, 2])]);
  let anyBias = false;
  let anyPeephole = false;
  let layer0: OnnxRecurrentWeights | null = null;
  const outputs: string[][] = [];
  for (let k = 0; k < L; k++) {
    const inputSize = k === 0 ? I : D * H;
    const tensor = (dims: number[]) => weightInput(draft, p, { dims, values: p.values(size(dims)) }, shared);
    const W = tensor([D, G * H, inputSize]);
    const R = tensor([D, G * H, H]);
    const B = withBias && p.chance(0.8) ? tensor([D, 2 * G * H]) : null;
    const P = withPeephole && p.chance(0.7) ? tensor([D, 3 * H]) : null;
    anyBias ||= B !== null;
    anyPeephole ||= P !== null;
    if (k === 0)
      layer0 = { W: W.values, R: R.values, ...(B ? { B: B.values } : {}), ...(P ? { P: P.values } : {}) };
    const inputs = [x, W.name, R.name, B?.name ?? '', '', '', '', P?.name ?? ''];
    while (inputs[inputs.length - 1] === '') inputs.pop();
    const names = [
      draft.fresh('Y'),
      draft.fresh('Y_h'),
      ...(spec.cell === 'lstm' ? [draft.fresh('Y_c')] : []),
    ];
    draft.nodes.push({
      name: k === 0 && longName ? longName : draft.fresh(spec.op),
      op_type: spec.op,
      input: inputs,
      output: names,
      attribute: attributes,
    });
    outputs.push(names);
    x = plumbing(draft, p, names[0], D, layout, k < L - 1);
  }
  damageGraph(draft, p, outputs);
  addNoise(draft, p);

  const bytes = encodeModel(draft.model());
  let weightBytes = 0;
  for (let k = 0; k < L; k++) {
    const inputSize = k === 0 ? I : D * H;
    weightBytes += 4 * D * (G * H * (inputSize + H) + (anyBias ? 2 * G * H : 0) + (anyPeephole ? 3 * H : 0));
  }
  return {
    bytes,
    defects: draft.defects,
    doubts: draft.doubts,
    expected: {
      cell: spec.cell,
      inputSize: I,
      hiddenSize: H,
      numLayers: L,
      bidirectional: D === 2,
      batchFirst: layout === 1 || transposedInput,
    },
    layer0: layer0 as OnnxRecurrentWeights,
    weightBytes,
  };
}

/** Whether core's normalizeConfig takes a stack this deep (it bounds numLayers). */
function coreAcceptsLayers(numLayers: number): boolean {
  try {
    normalizeConfig({ cell: 'rnn', inputSize: 1, hiddenSize: 1, numLayers });
    return true;
  } catch {
    return false;
  }
}

function size(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}

/** One attribute list shared by every layer (stacked layers must agree), mostly valid. */
function nodeAttributes(
  draft: ModelDraft,
  p: Picker,
  spec: (typeof CELLS)[number],
  D: number,
  H: number,
  layout: number,
): OnnxAttribute[] {
  const out: OnnxAttribute[] = [];
  const hidden = p.weighted({ right: 85, absent: 10, wrong: 3, wrongType: 2 });
  if (hidden === 'right') out.push(attr.int('hidden_size', H));
  if (hidden === 'wrong') {
    out.push(attr.int('hidden_size', p.pick([H + 1, 0, -1, 2 ** 40])));
    draft.defect('hidden_size');
  }
  if (hidden === 'wrongType') {
    out.push(attr.float('hidden_size', H));
    draft.defect('hidden_size type');
  }
  if (D === 2) out.push(attr.string('direction', 'bidirectional'));
  else {
    const direction = p.weighted({ forward: 50, absent: 45, reverse: 3, garbage: 2 });
    if (direction === 'forward') out.push(attr.string('direction', 'forward'));
    if (direction === 'reverse' || direction === 'garbage') {
      out.push(
        attr.string('direction', direction === 'reverse' ? 'reverse' : 'sideways'.repeat(p.int(1, 5000))),
      );
      draft.defect(`direction ${direction}`);
    }
  }
  if (layout === 1 || p.chance(0.2)) out.push(attr.int('layout', layout));
  if (p.chance(0.02)) {
    out.push(attr.int('layout', p.pick([2, -1])));
    draft.defect('layout');
  }
  if (p.chance(0.2)) {
    const bad = p.chance(0.1);
    out.push(
      attr.float('clip', bad ? p.pick([0, -1, Number.NaN, Number.POSITIVE_INFINITY]) : p.int(1, 100) / 8),
    );
    if (bad) draft.defect('clip');
  }
  if (spec.cell === 'gru' && p.chance(0.6)) out.push(attr.int('linear_before_reset', p.int(0, 1)));
  if (spec.cell === 'lstm' && p.chance(0.3)) out.push(attr.int('input_forget', p.int(0, 1)));
  if (p.chance(0.3)) out.push(...activations(draft, p, spec.slots, D));
  if (p.chance(0.02)) {
    out.push(attr.int(p.chance(0.5) ? 'output_sequence' : 'k'.repeat(p.int(1, 20_000)), 1));
    draft.defect('unknown attribute');
  }
  return out;
}

function activations(draft: ModelDraft, p: Picker, slots: number, D: number): OnnxAttribute[] {
  const names = Array.from({ length: slots }, () => p.pick(p.chance(0.8) ? ACTIVATIONS : MORE_ACTIVATIONS));
  let list = D === 2 && p.chance(0.7) ? [...names, ...names] : names;
  if (D === 2 && p.chance(0.05)) {
    list = [...names, ...names.map((n) => (n.toLowerCase() === 'tanh' ? 'Relu' : 'Tanh'))];
    draft.defect('activations differ per direction');
  }
  if (p.chance(0.03)) {
    list = [...list.slice(1), p.pick(['Gelu', 'Swish', 'x'.repeat(p.int(1, 50_000))])];
    draft.defect('unknown activation');
  }
  if (p.chance(0.02)) {
    // One more than both directions take (slots alone is also a valid count).
    list = Array.from({ length: slots * D + 1 }, (_, i) => names[i % slots]);
    draft.defect('activation count');
  }
  const out = [attr.strings('activations', list)];
  // Alphas (betas) are consumed in order by the activations that take one, across both
  // directions: only a list repeated per direction keeps the directions alike.
  const mirrored = list.length === 2 * names.length;
  const params = (users: ReadonlySet<string>) => {
    const count = names.filter((n) => users.has(n.toLowerCase())).length;
    const one = Array.from({ length: p.chance(0.8) ? count : p.int(0, 2 * count) }, () =>
      Math.fround(p.int(-16, 16) / 8),
    );
    if (one.length !== count && mirrored) draft.doubt('activation parameters per direction');
    return mirrored ? [...one, ...one] : one;
  };
  if (p.chance(0.4)) out.push(attr.floats('activation_alpha', params(TAKES_ALPHA)));
  if (p.chance(0.4)) out.push(attr.floats('activation_beta', params(TAKES_BETA)));
  return out;
}

const TAKES_ALPHA = new Set(['hardsigmoid', 'leakyrelu', 'thresholdedrelu', 'scaledtanh', 'affine', 'elu']);
const TAKES_BETA = new Set(['hardsigmoid', 'scaledtanh', 'affine']);

/** What torch.onnx.export puts between a layer's Y ([T, D, B, H], or [B, T, D, H] with
 * layout 1) and the next layer's X ([T, B, D·H]); sometimes padded, or broken where a next
 * layer `reads` it. */
function plumbing(
  draft: ModelDraft,
  p: Picker,
  y: string,
  D: number,
  layout: number,
  reads: boolean,
): string {
  let x: string;
  let ops = 1;
  if (D === 1) x = draft.axesOp('Squeeze', y, [layout === 1 ? 2 : 1]);
  else {
    ops = layout === 1 ? 1 : 2;
    const joined = layout === 1 ? y : draft.node('Transpose', [y], [attr.ints('perm', [0, 2, 1, 3])]);
    x = draft.node('Reshape', [joined, draft.int64([0, 0, -1])]);
  }
  if (p.chance(0.03)) {
    const extra = p.int(1, 100);
    for (let k = 0; k < extra; k++) x = draft.node('Identity', [x]);
    // The importer follows at most 64 plumbing ops between two layers.
    if (reads && ops + extra > 64) draft.defect('plumbing chain');
  }
  if (!reads) return x;
  if (p.chance(0.01)) {
    x = draft.node(
      'Transpose',
      [x],
      [attr.ints('perm', p.pick([[1, 0, 2], [2, 1, 0], Array.from({ length: 1000 }, (_, i) => i)]))],
    );
    draft.defect('transposed layer input');
  }
  if (p.chance(0.01)) {
    x = draft.node('Gather', [x, draft.int64([0])]);
    draft.defect('gather between layers');
  }
  return x;
}

/** Rare damage to the whole graph: a second stack, a layer reading a state output or a
 * later layer (a cycle), a name defined twice, no recurrent nodes at all. */
function damageGraph(draft: ModelDraft, p: Picker, outputs: string[][]): void {
  const recurrent = draft.nodes.filter(
    (n) => n.op_type === 'LSTM' || n.op_type === 'GRU' || n.op_type === 'RNN',
  );
  const damage = p.weighted({
    none: 95,
    secondStack: 1,
    stateOutput: 1,
    cycle: 1,
    duplicate: 1,
    noRecurrent: 1,
  });
  if (damage === 'none') return;
  draft.defect(damage);
  const target = p.pick(recurrent);
  const input = target.input ?? [];
  if (damage === 'secondStack') draft.nodes.push({ ...recurrent[0], name: 'second', output: ['Y2', 'Y2_h'] });
  if (damage === 'stateOutput') input[0] = p.pick(outputs)[1];
  if (damage === 'cycle') input[0] = outputs[outputs.length - 1][0];
  if (damage === 'duplicate') draft.node('Identity', ['X'], [], [p.pick(outputs)[0]]);
  if (damage === 'noRecurrent')
    for (const n of recurrent) n.op_type = p.pick(['Loop', 'Scan', `${n.op_type}x`]);
}

/** Nodes and initializers a model may hold beside the stack (shape plumbing for the states,
 * unused constants), some of them large or oddly named: harmless, and never read. */
function addNoise(draft: ModelDraft, p: Picker): void {
  if (p.chance(0.1)) {
    const count = p.chance(0.05) ? p.int(1000, 5000) : p.int(1, 50);
    for (let k = 0; k < count; k++) {
      const shape = draft.node('Shape', ['X']);
      draft.node(p.chance(0.001) ? 'Op'.repeat(p.int(1, 50_000)) : 'Gather', [shape, draft.int64([k % 3])]);
    }
  }
  if (p.chance(0.05)) {
    draft.initializer({ name: draft.fresh('unused'), dims: [2 ** 40], data_type: 1, float_data: [] });
    draft.int64(Array.from({ length: p.int(1, 10_000) }, (_, i) => i));
  }
}
