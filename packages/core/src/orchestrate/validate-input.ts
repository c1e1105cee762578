import type { ForwardOptions, StreamState } from '../backend.js';
import { assertFeature, type Capabilities } from '../capabilities.js';
import { type NormalizedConfig, numDirections, outputSize } from '../config.js';
import { describeValue, GatedError } from '../errors.js';
import { gateTraceNames } from '../gates.js';
import { formatShape, shapeSize, type Tensor } from '../tensor.js';
import { copyFloat32, typedArrayKind, typedArrayLength } from '../typed-arrays.js';
import { MAX_BUFFER_LENGTH } from './reserve.js';

/** A forward call after validation, in the orchestration's terms (time-major sizes). */
export interface ForwardInput {
  readonly steps: number;
  readonly batch: number;
  readonly x: Tensor;
  readonly h0: Float32Array | null;
  readonly c0: Float32Array | null;
  readonly seqLens: Int32Array | null;
  readonly returnGates: boolean;
}

function invalid(message: string): never {
  throw new GatedError('INVALID_INPUT', message);
}

/** A tensor argument read once: `data` and `shape` are each read a single time, the shape is
 * copied into a plain array and the data into core's own Float32Array (through the intrinsic
 * typed-array slots, so a subclass with a lying `length`, a getter that changes its answer or
 * a Float32Array of another realm cannot make later code see something else). Everything after
 * validation uses this snapshot only; the caller may reuse its arrays as soon as the call returns. */
function readTensor(t: unknown, argument: string, expected: string): { data: unknown; shape: number[] } {
  if (typeof t !== 'object' || t === null) {
    invalid(
      `${argument}: expected a tensor { data, shape } of shape ${expected}, received ${describeValue(t)}`,
    );
  }
  const { data, shape } = t as { data?: unknown; shape?: unknown };
  if (data === undefined || shape === undefined) {
    invalid(
      `${argument}: expected a tensor { data, shape } of shape ${expected}, received ${describeValue(t)}`,
    );
  }
  if (!Array.isArray(shape) || shape.length > 8) {
    invalid(`${argument}.shape: expected ${expected}, received ${describeValue(shape)}`);
  }
  return { data, shape: Array.from(shape as unknown[], (d) => d as number) };
}

/** Checks that `t` is a tensor of exactly `expected` shape with finite values; returns core's
 * own copy (see readTensor). */
export function checkTensor(t: unknown, argument: string, expected: readonly number[]): Tensor {
  const { data, shape } = readTensor(t, argument, formatShape(expected));
  return checkSnapshot(data, shape, argument, expected);
}

function checkSnapshot(
  data: unknown,
  shape: number[],
  argument: string,
  expected: readonly number[],
): Tensor {
  if (shape.length !== expected.length || shape.some((d, i) => d !== expected[i])) {
    invalid(`${argument}: expected shape ${formatShape(expected)}, received ${describeShape(shape)}`);
  }
  const copy = copyFloat32(data);
  if (copy === null) invalid(`${argument}.data: expected a Float32Array, received ${describeValue(data)}`);
  if (copy.length !== shapeSize(expected)) {
    invalid(
      `${argument}: shape ${formatShape(expected)} needs ${shapeSize(expected)} values, received ${copy.length}`,
    );
  }
  checkFinite(copy, argument);
  return { data: copy, shape: [...expected] };
}

function describeShape(shape: readonly unknown[]): string {
  return shape.every((d) => typeof d === 'number') && shape.length <= 8
    ? formatShape(shape as number[])
    : describeValue(shape);
}

function checkFinite(data: Float32Array, argument: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]))
      invalid(`${argument}: expected finite values, received ${data[i]} at index ${i}`);
  }
}

/** Reads x's [T, B, I] (or [B, T, I]) shape, checking rank, sizes and finiteness. */
function checkSequence(config: NormalizedConfig, x: unknown): { steps: number; batch: number; x: Tensor } {
  const layout = config.batchFirst ? '[B, T, I]' : '[T, B, I]';
  const { data, shape } = readTensor(x, 'x', layout);
  if (shape.length !== 3) invalid(`x: expected rank 3 ${layout}, received shape ${describeShape(shape)}`);
  if (shape[2] !== config.inputSize) {
    invalid(
      `x: expected last dimension inputSize = ${config.inputSize}, received shape ${describeShape(shape)}`,
    );
  }
  const [steps, batch] = config.batchFirst ? [shape[1], shape[0]] : [shape[0], shape[1]];
  if (!(steps >= 1) || !(batch >= 1) || !Number.isInteger(steps) || !Number.isInteger(batch)) {
    invalid(`x: expected T ≥ 1 and B ≥ 1 in ${layout}, received shape ${describeShape(shape)}`);
  }
  return { steps, batch, x: checkSnapshot(data, shape, 'x', shape) };
}

export function validateForwardInput(
  config: NormalizedConfig,
  x: unknown,
  options: ForwardOptions = {},
): ForwardInput {
  if (typeof options !== 'object' || options === null)
    invalid(`options: expected an object, received ${describeValue(options)}`);
  // Each option is read once: a getter cannot answer validation and the run differently.
  const { h0: h0Arg, c0: c0Arg, seqLens: lensArg, returnGates: gatesArg } = options;
  const { steps, batch, x: checked } = checkSequence(config, x);
  const states = config.numLayers * numDirections(config);
  const outputLength = steps * batch * numDirections(config) * outputSize(config);
  const traceLength =
    gatesArg === true ? gateTraceNames(config.cell).length * steps * batch * config.hiddenSize : 0;
  if (Math.max(outputLength, traceLength) > MAX_BUFFER_LENGTH) {
    invalid(
      `x: expected a forward whose output and gate traces hold at most ${MAX_BUFFER_LENGTH} f32 values each, received shape ${formatShape([...checked.shape])} needing ${Math.max(outputLength, traceLength)} (split the batch or the sequence)`,
    );
  }
  const h0 =
    h0Arg === undefined ? null : checkTensor(h0Arg, 'options.h0', [states, batch, outputSize(config)]).data;
  let c0: Float32Array | null = null;
  if (c0Arg !== undefined) {
    if (config.cell !== 'lstm')
      invalid(
        `options.c0: expected nothing for a ${config.cell.toUpperCase()} (LSTM only), received a tensor`,
      );
    c0 = checkTensor(c0Arg, 'options.c0', [states, batch, config.hiddenSize]).data;
  }
  let seqLens: Int32Array | null = null;
  if (lensArg !== undefined) {
    const lens = readLengths(lensArg);
    if (lens === null || lens.length !== batch) {
      invalid(
        `options.seqLens: expected ${batch} lengths (one per batch element), received ${describeValue(lensArg)}`,
      );
    }
    seqLens = new Int32Array(batch);
    for (let b = 0; b < batch; b++) {
      const L = lens[b];
      if (typeof L !== 'number' || !Number.isInteger(L) || L < 0 || L > steps) {
        invalid(`options.seqLens[${b}]: expected an integer in [0, ${steps}], received ${describeValue(L)}`);
      }
      seqLens[b] = L;
    }
  }
  const returnGates = gatesArg ?? false;
  if (typeof returnGates !== 'boolean')
    invalid(`options.returnGates: expected a boolean, received ${describeValue(returnGates)}`);
  return { steps, batch, x: checked, h0, c0, seqLens, returnGates };
}

/** seqLens copied once into a plain array (an Int32Array of any realm, or a number[]). */
function readLengths(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value.length > 1 << 24 ? null : Array.from(value as unknown[]);
  if (typedArrayKind(value) === 'Int32Array') {
    const copy = new Int32Array(typedArrayLength(value as Int32Array));
    copy.set(value as Int32Array);
    return Array.from(copy);
  }
  return null;
}

/** Throws UNSUPPORTED when a validated forward asks for a feature the backend lacks. */
export function assertForwardCapable(
  backendName: string,
  capabilities: Capabilities,
  input: ForwardInput,
): void {
  if (input.seqLens) assertFeature(backendName, capabilities, 'seqLens', 'options.seqLens');
  if (input.h0 || input.c0) assertFeature(backendName, capabilities, 'initialState', 'options.h0');
  if (input.returnGates) assertFeature(backendName, capabilities, 'returnGates', 'options.returnGates');
}

export function validateBatch(batch: unknown): number {
  if (typeof batch !== 'number' || !Number.isInteger(batch) || batch < 1 || batch > 1 << 20) {
    invalid(`options.batch: expected a positive integer, received ${describeValue(batch)}`);
  }
  return batch;
}

export function validateStep(config: NormalizedConfig, batch: number, x: unknown): Tensor {
  return checkTensor(x, 'x', [batch, config.inputSize]);
}

/** Validates a stream state for `reset`; absent parts mean zeros. */
export function validateStreamState(
  config: NormalizedConfig,
  batch: number,
  state: Partial<StreamState> | undefined,
): { h: Float32Array | null; c: Float32Array | null } {
  if (state === undefined) return { h: null, c: null };
  if (typeof state !== 'object' || state === null)
    invalid(`state: expected { h?, c? }, received ${describeValue(state)}`);
  const { h: hArg, c: cArg } = state;
  const h =
    hArg === undefined
      ? null
      : checkTensor(hArg, 'state.h', [config.numLayers, batch, outputSize(config)]).data;
  if (cArg !== undefined && config.cell !== 'lstm')
    invalid(`state.c: expected nothing for a ${config.cell.toUpperCase()}, received a tensor`);
  const c =
    cArg === undefined
      ? null
      : checkTensor(cArg, 'state.c', [config.numLayers, batch, config.hiddenSize]).data;
  return { h, c };
}
