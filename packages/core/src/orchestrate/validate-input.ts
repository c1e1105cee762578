import type { ForwardOptions, StreamState } from '../backend.js';
import { assertFeature, type Capabilities } from '../capabilities.js';
import { type NormalizedConfig, numDirections, outputSize } from '../config.js';
import { describeValue, GatedError } from '../errors.js';
import { formatShape, shapeSize, type Tensor } from '../tensor.js';

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

/** Checks that `t` is a tensor of exactly `expected` shape with finite values. */
export function checkTensor(t: unknown, argument: string, expected: readonly number[]): Tensor {
  if (typeof t !== 'object' || t === null || !('data' in t) || !('shape' in t)) {
    invalid(
      `${argument}: expected a tensor { data, shape } of shape ${formatShape(expected)}, received ${describeValue(t)}`,
    );
  }
  const { data, shape } = t as Tensor;
  if (!(data instanceof Float32Array))
    invalid(`${argument}.data: expected a Float32Array, received ${describeValue(data)}`);
  if (!Array.isArray(shape) || shape.length !== expected.length || shape.some((d, i) => d !== expected[i])) {
    invalid(
      `${argument}: expected shape ${formatShape(expected)}, received ${Array.isArray(shape) ? formatShape(shape) : describeValue(shape)}`,
    );
  }
  if (data.length !== shapeSize(expected)) {
    invalid(
      `${argument}: shape ${formatShape(expected)} needs ${shapeSize(expected)} values, received ${data.length}`,
    );
  }
  checkFinite(data, argument);
  return t as Tensor;
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
  if (typeof x !== 'object' || x === null || !('shape' in x) || !Array.isArray((x as Tensor).shape)) {
    invalid(`x: expected a tensor of shape ${layout}, received ${describeValue(x)}`);
  }
  const shape = (x as Tensor).shape;
  if (shape.length !== 3) invalid(`x: expected rank 3 ${layout}, received shape ${formatShape(shape)}`);
  if (shape[2] !== config.inputSize) {
    invalid(
      `x: expected last dimension inputSize = ${config.inputSize}, received shape ${formatShape(shape)}`,
    );
  }
  const [steps, batch] = config.batchFirst ? [shape[1], shape[0]] : [shape[0], shape[1]];
  if (!(steps >= 1) || !(batch >= 1) || !Number.isInteger(steps) || !Number.isInteger(batch)) {
    invalid(`x: expected T ≥ 1 and B ≥ 1 in ${layout}, received shape ${formatShape(shape)}`);
  }
  return { steps, batch, x: checkTensor(x, 'x', shape) };
}

export function validateForwardInput(
  config: NormalizedConfig,
  x: unknown,
  options: ForwardOptions = {},
): ForwardInput {
  if (typeof options !== 'object' || options === null)
    invalid(`options: expected an object, received ${describeValue(options)}`);
  const { steps, batch, x: checked } = checkSequence(config, x);
  const states = config.numLayers * numDirections(config);
  const h0 =
    options.h0 === undefined
      ? null
      : checkTensor(options.h0, 'options.h0', [states, batch, outputSize(config)]).data;
  let c0: Float32Array | null = null;
  if (options.c0 !== undefined) {
    if (config.cell !== 'lstm')
      invalid(
        `options.c0: expected nothing for a ${config.cell.toUpperCase()} (LSTM only), received a tensor`,
      );
    c0 = checkTensor(options.c0, 'options.c0', [states, batch, config.hiddenSize]).data;
  }
  let seqLens: Int32Array | null = null;
  if (options.seqLens !== undefined) {
    const lens = options.seqLens;
    if (!(Array.isArray(lens) || lens instanceof Int32Array) || lens.length !== batch) {
      invalid(
        `options.seqLens: expected ${batch} lengths (one per batch element), received ${describeValue(lens)}`,
      );
    }
    seqLens = new Int32Array(batch);
    for (let b = 0; b < batch; b++) {
      const L = lens[b];
      if (!Number.isInteger(L) || L < 0 || L > steps) {
        invalid(`options.seqLens[${b}]: expected an integer in [0, ${steps}], received ${describeValue(L)}`);
      }
      seqLens[b] = L;
    }
  }
  const returnGates = options.returnGates ?? false;
  if (typeof returnGates !== 'boolean')
    invalid(`options.returnGates: expected a boolean, received ${describeValue(returnGates)}`);
  return { steps, batch, x: checked, h0, c0, seqLens, returnGates };
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
  const h =
    state.h === undefined
      ? null
      : checkTensor(state.h, 'state.h', [config.numLayers, batch, outputSize(config)]).data;
  if (state.c !== undefined && config.cell !== 'lstm')
    invalid(`state.c: expected nothing for a ${config.cell.toUpperCase()}, received a tensor`);
  const c =
    state.c === undefined
      ? null
      : checkTensor(state.c, 'state.c', [config.numLayers, batch, config.hiddenSize]).data;
  return { h, c };
}
