import { type Activation, type ActivationSpec, normalizeActivation } from './activations.js';
import { describeValue, GatedError } from './errors.js';

export type CellType = 'lstm' | 'gru' | 'rnn';
export const CELL_TYPES: readonly CellType[] = ['lstm', 'gru', 'rnn'];

/** A recurrent model as users describe it (PyTorch `nn.LSTM` / `nn.GRU` / `nn.RNN` names). */
export interface RecurrentConfig {
  cell: CellType;
  inputSize: number;
  hiddenSize: number;
  numLayers?: number;
  bidirectional?: boolean;
  bias?: boolean;
  batchFirst?: boolean;
  /** LSTM only: size of the projected hidden state (PyTorch `proj_size`); 0 = none. */
  projSize?: number;
  /** LSTM only: peephole connections, weights `weight_ph_l{k}` [3H] in order i, f, o. */
  peephole?: boolean;
  /** LSTM only: f = 1 - i (ONNX input_forget). */
  coupledInputForget?: boolean;
  /** GRU only: apply the reset gate after the recurrent product (PyTorch, ONNX linear_before_reset=1). */
  resetAfter?: boolean;
  /** RNN only. */
  nonlinearity?: 'tanh' | 'relu';
  /** Clamp every pre-activation to [-clip, clip]. */
  clip?: number;
  /** ONNX f, g, h. RNN uses `candidate` only (its default comes from `nonlinearity`). */
  activations?: { gate?: Activation; candidate?: Activation; cell?: Activation };
}

/** A validated config with every default filled in; what backends receive. */
export interface NormalizedConfig {
  readonly cell: CellType;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bidirectional: boolean;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly projSize: number;
  readonly peephole: boolean;
  readonly coupledInputForget: boolean;
  readonly resetAfter: boolean;
  readonly nonlinearity: 'tanh' | 'relu';
  /** null = no clipping. */
  readonly clip: number | null;
  readonly activations: {
    readonly gate: ActivationSpec;
    readonly candidate: ActivationSpec;
    readonly cell: ActivationSpec;
  };
}

const KNOWN_FIELDS = new Set([
  'cell',
  'inputSize',
  'hiddenSize',
  'numLayers',
  'bidirectional',
  'bias',
  'batchFirst',
  'projSize',
  'peephole',
  'coupledInputForget',
  'resetAfter',
  'nonlinearity',
  'clip',
  'activations',
]);

function fail(field: string, expected: string, received: unknown): never {
  throw new GatedError(
    'INVALID_CONFIG',
    `config.${field}: expected ${expected}, received ${describeValue(received)}`,
  );
}

function positiveInt(config: Record<string, unknown>, field: string, fallback?: number, min = 1): number {
  const v = config[field] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 1 << 20) {
    fail(field, min === 0 ? 'an integer ≥ 0' : 'a positive integer', v);
  }
  return v;
}

function flag(config: Record<string, unknown>, field: string, fallback: boolean): boolean {
  const v = config[field] ?? fallback;
  if (typeof v !== 'boolean') fail(field, 'a boolean', v);
  return v;
}

function onlyFor(
  config: Record<string, unknown>,
  field: string,
  cell: CellType,
  isDefault: (v: unknown) => boolean,
) {
  const v = config[field];
  if (v !== undefined && config.cell !== cell && !isDefault(v)) {
    fail(field, `to be unset for cell '${String(config.cell)}' (${cell} only)`, v);
  }
}

/** Validates a user config and fills in the defaults. Each invalid field is an INVALID_CONFIG
 * error naming the field and the received value. */
export function normalizeConfig(input: RecurrentConfig | NormalizedConfig): NormalizedConfig {
  if (NORMALIZED.has(input as object)) return input as NormalizedConfig;
  if (typeof input !== 'object' || input === null) {
    throw new GatedError('INVALID_CONFIG', `config: expected an object, received ${describeValue(input)}`);
  }
  const config = input as unknown as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!KNOWN_FIELDS.has(key) && config[key] !== undefined) fail(key, 'no such field', config[key]);
  }
  const cell = config.cell;
  if (cell !== 'lstm' && cell !== 'gru' && cell !== 'rnn') fail('cell', "'lstm', 'gru' or 'rnn'", cell);
  const inputSize = positiveInt(config, 'inputSize');
  const hiddenSize = positiveInt(config, 'hiddenSize');
  const numLayers = positiveInt(config, 'numLayers', 1);
  onlyFor(config, 'projSize', 'lstm', (v) => v === 0);
  onlyFor(config, 'peephole', 'lstm', (v) => v === false);
  onlyFor(config, 'coupledInputForget', 'lstm', (v) => v === false);
  onlyFor(config, 'resetAfter', 'gru', () => false);
  onlyFor(config, 'nonlinearity', 'rnn', () => false);
  const projSize = positiveInt(config, 'projSize', 0, 0);
  if (projSize >= hiddenSize && projSize !== 0)
    fail('projSize', `0 or less than hiddenSize (${hiddenSize})`, projSize);
  const nonlinearity = config.nonlinearity ?? 'tanh';
  if (nonlinearity !== 'tanh' && nonlinearity !== 'relu')
    fail('nonlinearity', "'tanh' or 'relu'", nonlinearity);
  let clip: number | null = null;
  if (config.clip !== undefined && config.clip !== null) {
    if (typeof config.clip !== 'number' || !(config.clip > 0) || !Number.isFinite(config.clip)) {
      fail('clip', 'a finite number > 0', config.clip);
    }
    clip = config.clip;
  }
  const acts = (config.activations ?? {}) as Record<string, unknown>;
  if (typeof acts !== 'object') fail('activations', 'an object { gate?, candidate?, cell? }', acts);
  for (const key of Object.keys(acts)) {
    if (key !== 'gate' && key !== 'candidate' && key !== 'cell')
      fail(`activations.${key}`, 'gate, candidate or cell', key);
  }
  if (cell === 'rnn' && (acts.gate !== undefined || acts.cell !== undefined)) {
    fail(
      acts.gate !== undefined ? 'activations.gate' : 'activations.cell',
      'unset for an RNN (it has one activation: candidate)',
      acts.gate ?? acts.cell,
    );
  }
  if (cell === 'gru' && acts.cell !== undefined)
    fail('activations.cell', 'unset for a GRU (gate and candidate only)', acts.cell);
  const normalized: NormalizedConfig = Object.freeze({
    cell,
    inputSize,
    hiddenSize,
    numLayers,
    bidirectional: flag(config, 'bidirectional', false),
    bias: flag(config, 'bias', true),
    batchFirst: flag(config, 'batchFirst', false),
    projSize,
    peephole: flag(config, 'peephole', false),
    coupledInputForget: flag(config, 'coupledInputForget', false),
    resetAfter: flag(config, 'resetAfter', true),
    nonlinearity,
    clip,
    activations: {
      gate: normalizeActivation(acts.gate ?? 'sigmoid', 'config.activations.gate'),
      candidate: normalizeActivation(
        acts.candidate ?? (cell === 'rnn' ? nonlinearity : 'tanh'),
        'config.activations.candidate',
      ),
      cell: normalizeActivation(acts.cell ?? 'tanh', 'config.activations.cell'),
    },
  });
  NORMALIZED.add(normalized);
  return normalized;
}

/** Configs this module produced: normalizing them again is the identity. */
const NORMALIZED = new WeakSet<object>();

/** Size of the hidden state a layer outputs per direction (projSize || hiddenSize). */
export function outputSize(config: NormalizedConfig): number {
  return config.projSize > 0 ? config.projSize : config.hiddenSize;
}

export function numDirections(config: NormalizedConfig): 1 | 2 {
  return config.bidirectional ? 2 : 1;
}

/** Input size of layer k: inputSize for k = 0, else the previous layer's D·Hout. */
export function layerInputSize(config: NormalizedConfig, layer: number): number {
  return layer === 0 ? config.inputSize : numDirections(config) * outputSize(config);
}
