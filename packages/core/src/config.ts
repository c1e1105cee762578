import { type Activation, type ActivationSpec, normalizeActivation } from './activations.js';
import { describeValue, fieldPath, GatedError } from './errors.js';
import { nearestName } from './nearest-name.js';

export type CellType = 'lstm' | 'gru' | 'rnn';
export const CELL_TYPES: readonly CellType[] = ['lstm', 'gru', 'rnn'];

/** A recurrent model as users describe it (PyTorch `nn.LSTM` / `nn.GRU` / `nn.RNN` names).
 * The cell literal narrows what a model returns (`c` is always there for an LSTM). */
export interface RecurrentConfig<C extends CellType = CellType> {
  cell: C;
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
export interface NormalizedConfig<C extends CellType = CellType> {
  readonly cell: C;
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

/** A config as plain JavaScript writes it — `{ cell: 'lstm', ... }` without `as const` has a
 * `string` cell — accepted everywhere a config is, and validated at run time like any other. */
export type LooseRecurrentConfig = Omit<RecurrentConfig, 'cell' | 'nonlinearity' | 'activations'> & {
  cell: string;
  nonlinearity?: string;
  activations?: {
    gate?: string | { name: string; alpha?: number; beta?: number };
    candidate?: string | { name: string; alpha?: number; beta?: number };
    cell?: string | { name: string; alpha?: number; beta?: number };
  };
};

/** Every form a config argument may take. */
export type AnyRecurrentConfig = RecurrentConfig | NormalizedConfig | LooseRecurrentConfig;

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

/** Most layers a config may stack. Deeper recurrent stacks are not used in practice (GNMT and
 * Deep Speech 2 stack 7–8); the bound keeps every per-layer cost (weights, packing, an ONNX
 * graph) small and predictable, and refuses `numLayers: 2 ** 20` before anything is allocated. */
export const MAX_LAYERS = 256;

/** Most weight values (f32) one config may hold: 2³⁰ = 4 GiB, the most a wasm32 memory can
 * address and far beyond any recurrent model in use. */
export const MAX_WEIGHT_COUNT = 2 ** 30;

/** Largest inputSize / hiddenSize / projSize. */
const MAX_SIZE = 1 << 20;

function fail(field: string, expected: string, received: unknown): never {
  throw new GatedError(
    'INVALID_CONFIG',
    `config.${field}: expected ${expected}, received ${describeValue(received)}`,
  );
}

function positiveInt(
  config: Record<string, unknown>,
  field: string,
  fallback?: number,
  min = 1,
  max = MAX_SIZE,
): number {
  const v = config[field] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(field, `an integer in [${min}, ${max}]`, v);
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
export function normalizeConfig<C extends CellType>(
  input: RecurrentConfig<C> | NormalizedConfig<C>,
): NormalizedConfig<C>;
export function normalizeConfig(input: AnyRecurrentConfig): NormalizedConfig;
export function normalizeConfig(input: AnyRecurrentConfig): NormalizedConfig {
  if (typeof input !== 'object' || input === null) {
    throw new GatedError('INVALID_CONFIG', `config: expected an object, received ${describeValue(input)}`);
  }
  // Every field is read once into a plain record (a getter cannot answer twice), and the result
  // is validated in full even when it is a config this function returned before (model.config
  // passed back to compile, or one saved as JSON): nothing is trusted by identity.
  const config: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    const value = (input as unknown as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (!KNOWN_FIELDS.has(key)) {
      const near = nearestName(key, [...KNOWN_FIELDS]);
      throw new GatedError(
        'INVALID_CONFIG',
        `${fieldPath('config', key)}: expected a known field${near ? ` (did you mean ${near}?)` : ''}, received an unknown field = ${describeValue(value)}`,
      );
    }
    config[key] = value;
  }
  const cell = config.cell;
  if (cell !== 'lstm' && cell !== 'gru' && cell !== 'rnn') fail('cell', "'lstm', 'gru' or 'rnn'", cell);
  const inputSize = positiveInt(config, 'inputSize');
  const hiddenSize = positiveInt(config, 'hiddenSize');
  const numLayers = positiveInt(config, 'numLayers', 1, 1, MAX_LAYERS);
  onlyFor(config, 'projSize', 'lstm', (v) => v === 0);
  onlyFor(config, 'peephole', 'lstm', (v) => v === false);
  onlyFor(config, 'coupledInputForget', 'lstm', (v) => v === false);
  onlyFor(config, 'resetAfter', 'gru', (v) => v === true);
  onlyFor(config, 'nonlinearity', 'rnn', (v) => v === 'tanh');
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
  const actsArg = config.activations ?? {};
  if (typeof actsArg !== 'object' || actsArg === null || Array.isArray(actsArg))
    fail('activations', 'an object { gate?, candidate?, cell? }', actsArg);
  const acts: Record<string, unknown> = {};
  for (const key of Object.keys(actsArg)) {
    if (key !== 'gate' && key !== 'candidate' && key !== 'cell')
      fail(fieldPath('activations', key), 'gate, candidate or cell', key);
    acts[key] = (actsArg as Record<string, unknown>)[key];
  }
  // A normalized config lists all three activations; an RNN's unused gate/cell and a GRU's
  // unused cell are accepted only at their defaults, so model.config round-trips.
  if (
    cell === 'rnn' &&
    !(isDefaultActivation(acts.gate, 'sigmoid') && isDefaultActivation(acts.cell, 'tanh'))
  ) {
    fail(
      isDefaultActivation(acts.gate, 'sigmoid') ? 'activations.cell' : 'activations.gate',
      'unset for an RNN (it has one activation: candidate)',
      isDefaultActivation(acts.gate, 'sigmoid') ? acts.cell : acts.gate,
    );
  }
  if (cell === 'gru' && !isDefaultActivation(acts.cell, 'tanh'))
    fail('activations.cell', 'unset for a GRU (gate and candidate only)', acts.cell);
  const normalized: NormalizedConfig = deepFreeze({
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
  checkWeightCount(normalized);
  return normalized;
}

/** undefined, or the activation `name` with its default parameters (as a normalized config
 * writes it). */
function isDefaultActivation(value: unknown, name: 'sigmoid' | 'tanh'): boolean {
  if (value === undefined || value === name) return true;
  if (typeof value !== 'object' || value === null) return false;
  const { name: n, alpha, beta } = value as { name?: unknown; alpha?: unknown; beta?: unknown };
  return n === name && (alpha === undefined || alpha === 0) && (beta === undefined || beta === 0);
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child);
  }
  return Object.freeze(value);
}

/** Refuses a config whose weights alone would exceed MAX_WEIGHT_COUNT, before anything is
 * allocated for it. */
function checkWeightCount(config: NormalizedConfig): void {
  const G = config.cell === 'lstm' ? 4 : config.cell === 'gru' ? 3 : 1;
  const H = config.hiddenSize;
  const Hout = outputSize(config);
  const D = numDirections(config);
  // Closed form (O(1), so that normalizing is cheap however deep the stack): layer 0 reads
  // inputSize, every later layer D·Hout.
  const perLayer = (input: number) =>
    D *
    (G * H * (input + Hout + (config.bias ? 2 : 0)) + config.projSize * H + (config.peephole ? 3 * H : 0));
  const total = perLayer(config.inputSize) + (config.numLayers - 1) * perLayer(D * Hout);
  if (total > MAX_WEIGHT_COUNT) {
    throw new GatedError(
      'INVALID_CONFIG',
      `config: expected at most ${MAX_WEIGHT_COUNT} weight values (4 GiB of f32), received inputSize ${config.inputSize}, hiddenSize ${H}, numLayers ${config.numLayers}${D === 2 ? ', bidirectional' : ''} → ${total} values`,
    );
  }
}

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
