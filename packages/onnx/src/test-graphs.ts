// Test helper (not exported from the package): single recurrent-node models built by hand,
// the way producers other than torch.onnx.export write them.
import { floatTensor } from './const-tensor.js';
import { GraphBuilder } from './graph-builder.js';
import { encodeModel } from './proto/codec.js';
import type { OnnxTensor } from './proto/types.js';

export interface SingleNodeSpec {
  op: 'LSTM' | 'GRU' | 'RNN';
  attributes: Record<string, unknown>;
  /** W, R, B, P values in ONNX layout; dims [D, rows, ·]. */
  W: { dims: number[]; values: Float32Array };
  R: { dims: number[]; values: Float32Array };
  B?: { dims: number[]; values: Float32Array };
  P?: { dims: number[]; values: Float32Array };
  /** Extra node inputs by position (sequence_lens = 4, initial_h = 5, initial_c = 6). */
  graphInputs?: Record<number, string>;
  opset?: number;
  /** Overrides for the initializers, e.g. to corrupt one. */
  mutateInitializer?: (tensor: OnnxTensor) => OnnxTensor;
}

export function counting(n: number, scale = 0.01): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => (i - n / 2) * scale);
}

export function singleNodeModel(spec: SingleNodeSpec): Uint8Array {
  const g = new GraphBuilder(spec.opset ?? 17);
  g.input('X', ['T', 'B', spec.W.dims[2]]);
  const mutate = spec.mutateInitializer ?? ((t: OnnxTensor) => t);
  const init = (name: string, t?: { dims: number[]; values: Float32Array }) =>
    t ? g.initializer(mutate(floatTensor(name, t.dims, t.values))) : '';
  const inputs = [
    'X',
    init('W', spec.W),
    init('R', spec.R),
    init('B', spec.B),
    '',
    '',
    '',
    init('P', spec.P),
  ];
  for (const [position, name] of Object.entries(spec.graphInputs ?? {}))
    inputs[Number(position)] = g.input(name, ['?']);
  while (inputs[inputs.length - 1] === '') inputs.pop();
  const outputs = spec.op === 'LSTM' ? ['Y', 'Y_h', 'Y_c'] : ['Y', 'Y_h'];
  g.node(spec.op, inputs, spec.attributes, outputs);
  for (const o of outputs) g.output(o, ['?']);
  return encodeModel({
    ir_version: 8,
    producer_name: 'test',
    opset_import: [{ domain: '', version: spec.opset ?? 17 }],
    graph: g.build('single'),
  });
}

/** PyTorch-layout tensors of one nn.LSTM layer: weight_ih [4H, I], weight_hh [4H, H], bias_ih,
 * bias_hh [4H], suffix `_reverse` for the reverse direction; gates i, f, g, o. */
export type TorchLstmLayer = Record<string, Float32Array>;

/** An nn.LSTM layer as torch.onnx.export writes it without constant folding: per direction,
 * Slice the gate blocks (i, o, f·g as three slices, reordered to ONNX's i, o, f, c), Concat,
 * Unsqueeze; both directions joined by Concat; B = Concat(bias_ih, bias_hh) reordered alike.
 * Returns the W, R, B value names. */
export function torchUnfoldedLstm(
  g: GraphBuilder,
  layer: number,
  tensors: TorchLstmLayer,
  H: number,
): { W: string; R: string; B: string } {
  const directions = tensors.weight_ih_reverse ? ['', '_reverse'] : [''];
  const unsqueeze = (name: string) => g.node('Unsqueeze', [name, g.int64Const([0])], {});
  // ONNX order i, o, f, c from PyTorch's i, f, g, o: rows [0, H), [3H, 4H), [H, 3H).
  const reorder = (name: string) =>
    g.node(
      'Concat',
      [g.sliceAxis0(name, 0, H), g.sliceAxis0(name, 3 * H, 4 * H), g.sliceAxis0(name, H, 3 * H)],
      {
        axis: 0,
      },
    );
  const join = (parts: string[]) => (parts.length === 1 ? parts[0] : g.node('Concat', parts, { axis: 0 }));
  const stored = (name: string) => {
    const values = tensors[name];
    const dims = name.startsWith('weight_ih')
      ? [4 * H, values.length / (4 * H)]
      : name.startsWith('weight')
        ? [4 * H, H]
        : [4 * H];
    return g.initializer(floatTensor(`${name.replace(/(_reverse)?$/, `_l${layer}$1`)}`, dims, values));
  };
  const per = (make: (suffix: string) => string) => join(directions.map((d) => unsqueeze(make(d))));
  return {
    W: per((d) => reorder(stored(`weight_ih${d}`))),
    R: per((d) => reorder(stored(`weight_hh${d}`))),
    B: per((d) =>
      g.node('Concat', [reorder(stored(`bias_ih${d}`)), reorder(stored(`bias_hh${d}`))], { axis: 0 }),
    ),
  };
}
