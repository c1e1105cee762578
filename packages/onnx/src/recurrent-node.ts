import {
  type Activation,
  type CellType,
  GatedError,
  gateCount,
  type OnnxRecurrentWeights,
  quote,
} from '@gated/core';
import { describeNode, NodeAttributes } from './attributes.js';
import type { ConstTensor } from './const-tensor.js';
import { type ConstantFolder, NotConstant } from './constant-folding.js';
import { listText } from './list-text.js';
import { parseOnnxActivations } from './onnx-activations.js';
import type { OnnxNode } from './proto/types.js';

export const RECURRENT_OPS: Readonly<Record<string, CellType>> = { LSTM: 'lstm', GRU: 'gru', RNN: 'rnn' };

const KNOWN_ATTRIBUTES: Record<CellType, ReadonlySet<string>> = {
  lstm: new Set([
    'activation_alpha',
    'activation_beta',
    'activations',
    'clip',
    'direction',
    'hidden_size',
    'input_forget',
    'layout',
  ]),
  gru: new Set([
    'activation_alpha',
    'activation_beta',
    'activations',
    'clip',
    'direction',
    'hidden_size',
    'linear_before_reset',
    'layout',
  ]),
  rnn: new Set([
    'activation_alpha',
    'activation_beta',
    'activations',
    'clip',
    'direction',
    'hidden_size',
    'layout',
  ]),
};

/** What one activation slot list (f, g, h) holds per direction. */
const ACTIVATION_SLOTS: Record<CellType, readonly ('gate' | 'candidate' | 'cell')[]> = {
  lstm: ['gate', 'candidate', 'cell'],
  gru: ['gate', 'candidate'],
  rnn: ['candidate'],
};

/** One ONNX LSTM/GRU/RNN node, read into gated's terms. */
export interface RecurrentLayer {
  readonly node: OnnxNode;
  readonly cell: CellType;
  readonly directions: 1 | 2;
  readonly hiddenSize: number;
  readonly inputSize: number;
  /** layout = 1: X is [B, T, I]. */
  readonly batchFirst: boolean;
  /** Everything that must agree between stacked layers, as config fields. */
  readonly options: {
    clip?: number;
    coupledInputForget?: boolean;
    resetAfter?: boolean;
    nonlinearity?: 'tanh' | 'relu';
    activations?: { gate?: Activation; candidate?: Activation; cell?: Activation };
  };
  /** W, R, B, P as the node holds them (ONNX layout; core's fromOnnx converts). */
  readonly weights: OnnxRecurrentWeights;
}

export function parseRecurrentNode(node: OnnxNode, folder: ConstantFolder): RecurrentLayer {
  const cell = RECURRENT_OPS[node.op_type ?? ''];
  const where = describeNode(node);
  const unsupported = (message: string): never => {
    throw new GatedError('UNSUPPORTED', `${where}: ${message}`);
  };
  const attrs = new NodeAttributes(node);
  for (const name of attrs.names()) {
    if (!KNOWN_ATTRIBUTES[cell].has(name))
      unsupported(
        `expected attributes among ${[...KNOWN_ATTRIBUTES[cell]].join(', ')}, received ${quote(name, 40)}`,
      );
  }
  const direction = attrs.string('direction') ?? 'forward';
  if (direction === 'reverse')
    unsupported(
      "expected direction 'forward' or 'bidirectional', received 'reverse' (gated has no reverse-only layers)",
    );
  if (direction !== 'forward' && direction !== 'bidirectional') {
    throw new GatedError(
      'INVALID_FILE',
      `${where}: expected direction forward, reverse or bidirectional, received ${quote(direction, 40)}`,
    );
  }
  const D = direction === 'bidirectional' ? 2 : 1;
  const G = gateCount(cell);
  const inputs = node.input ?? [];
  if (inputs.length > (cell === 'lstm' ? 8 : 6))
    throw new GatedError(
      'INVALID_FILE',
      `${where}: expected at most ${cell === 'lstm' ? 8 : 6} inputs, received ${inputs.length}`,
    );

  const constant = (i: number, label: string): ConstTensor | null => {
    const name = inputs[i];
    if (!name) return null;
    try {
      const t = folder.value(name);
      if (t.integer) unsupported(`${label}: expected float weights, received an integer tensor`);
      return t;
    } catch (error) {
      if (error instanceof NotConstant)
        unsupported(`${label}: expected a constant (initializer or Constant), received ${error.message}`);
      throw error;
    }
  };
  const W = constant(1, 'W');
  const R = constant(2, 'R');
  if (!W || !R)
    throw new GatedError(
      'INVALID_FILE',
      `${where}: expected inputs W and R, received ${W ? 'no R' : 'no W'}`,
    );
  const hiddenSize = attrs.int('hidden_size') ?? R.dims[2];
  const H = hiddenSize;
  if (!Number.isInteger(H) || H < 1 || H > 1 << 20)
    throw new GatedError('INVALID_FILE', `${where}: expected hidden_size ≥ 1, received ${H}`);
  const inputSize = W.dims[2];
  const expectDims = (t: ConstTensor, label: string, dims: (number | string)[]) => {
    if (t.dims.length !== dims.length || t.dims.some((d, i) => d !== dims[i])) {
      throw new GatedError(
        'INVALID_FILE',
        `${where}: ${label}: expected dims [${dims.join(', ')}], received ${listText(t.dims)}`,
      );
    }
  };
  expectDims(W, 'W', [D, G * H, inputSize ?? 'I']);
  if (!(inputSize >= 1))
    throw new GatedError(
      'INVALID_FILE',
      `${where}: W: expected an input size ≥ 1, received dims ${listText(W.dims)}`,
    );
  expectDims(R, 'R', [D, G * H, H]);
  const B = constant(3, 'B');
  if (B) expectDims(B, 'B', [D, 2 * G * H]);
  const P = cell === 'lstm' ? constant(7, 'P') : null;
  if (P) expectDims(P, 'P', [D, 3 * H]);

  const weights: OnnxRecurrentWeights = {
    W: folder.float32(W, `${where}: W`),
    R: folder.float32(R, `${where}: R`),
    ...(B ? { B: folder.float32(B, `${where}: B`) } : {}),
    ...(P ? { P: folder.float32(P, `${where}: P`) } : {}),
  };

  const layout = attrs.int('layout') ?? 0;
  if (layout !== 0 && layout !== 1)
    throw new GatedError('INVALID_FILE', `${where}: expected layout 0 or 1, received ${layout}`);
  return {
    node,
    cell,
    directions: D,
    hiddenSize: H,
    inputSize,
    batchFirst: layout === 1,
    options: readOptions(cell, attrs, D, where),
    weights,
  };
}

function readOptions(
  cell: CellType,
  attrs: NodeAttributes,
  D: number,
  where: string,
): RecurrentLayer['options'] {
  const options: RecurrentLayer['options'] = {};
  const clip = attrs.float('clip');
  if (clip !== undefined) {
    if (!(clip > 0) || !Number.isFinite(clip))
      throw new GatedError('INVALID_FILE', `${where}: expected clip > 0, received ${clip}`);
    options.clip = clip;
  }
  if (cell === 'lstm') {
    const inputForget = attrs.int('input_forget') ?? 0;
    if (inputForget !== 0) options.coupledInputForget = true;
  }
  // ONNX's default is linear_before_reset = 0, gated's is resetAfter = true: always say which.
  if (cell === 'gru') options.resetAfter = (attrs.int('linear_before_reset') ?? 0) !== 0;

  const names = attrs.strings('activations');
  if (names === undefined) return options;
  const slots = ACTIVATION_SLOTS[cell];
  if (names.length !== slots.length * D && names.length !== slots.length) {
    throw new GatedError(
      'INVALID_FILE',
      `${where}: activations: expected ${slots.length * D} names, received ${names.length}`,
    );
  }
  const specs = parseOnnxActivations(
    names,
    attrs.floats('activation_alpha') ?? [],
    attrs.floats('activation_beta') ?? [],
    `${where}: activations`,
  );
  const perDirection = [
    specs.slice(0, slots.length),
    specs.length > slots.length ? specs.slice(slots.length) : specs.slice(0, slots.length),
  ];
  if (JSON.stringify(perDirection[0]) !== JSON.stringify(perDirection[1])) {
    throw new GatedError(
      'UNSUPPORTED',
      `${where}: activations: expected the same activations for both directions, received ${listText(names)}`,
    );
  }
  const defaults = { gate: 'sigmoid', candidate: 'tanh', cell: 'tanh' } as const;
  const activations: NonNullable<RecurrentLayer['options']['activations']> = {};
  slots.forEach((slot, i) => {
    const spec = perDirection[0][i];
    const plain = spec.alpha === undefined && spec.beta === undefined;
    if (cell === 'rnn' && plain && (spec.name === 'tanh' || spec.name === 'relu')) {
      options.nonlinearity = spec.name;
    } else if (!(plain && spec.name === defaults[slot])) {
      activations[slot] = plain ? spec.name : spec;
    }
  });
  if (Object.keys(activations).length > 0) options.activations = activations;
  return options;
}
