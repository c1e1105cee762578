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
