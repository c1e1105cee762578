import { GatedError } from '@gated/core';
import type { ImportBudget } from './import-budget.js';
import { listText } from './list-text.js';
import { DataType, int64ToNumber, type OnnxTensor } from './proto/types.js';

/** A constant tensor of the graph: float weights keep f32 values; integers (shapes, axes,
 * slice bounds) are held as float64 (INT64_MAX becomes +Infinity, which still means "to the end"). */
export interface ConstTensor {
  readonly dims: readonly number[];
  readonly values: Float32Array | Float64Array;
  readonly integer: boolean;
}

/** No dimension or element count gated reads may exceed this (2^31 − 1). */
const MAX_DIM = 0x7fffffff;

/** Weights have rank ≤ 3 and the exporters' plumbing ≤ 4; tensor ops cost rank per element, so
 * a rank of a million (a few MB of dims of 1) would make slicing one tensor take minutes. */
export const MAX_RANK = 16;

function invalid(where: string, message: string): never {
  throw new GatedError('INVALID_FILE', `${where}: ${message}`);
}

/** Reads the dims, checking each is an integer in [0, 2^31) and their product fits that too. */
export function checkedDims(raw: readonly unknown[] | undefined, where: string): number[] {
  if ((raw ?? []).length > MAX_RANK) {
    throw new GatedError(
      'UNSUPPORTED',
      `${where}: expected at most ${MAX_RANK} dims, received ${(raw ?? []).length}`,
    );
  }
  const dims = (raw ?? []).map((d) => int64ToNumber(d as never));
  let size = 1;
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0 || d > MAX_DIM)
      invalid(where, `expected dims ≥ 0, received ${listText(dims)}`);
    size *= d;
    if (size > MAX_DIM)
      invalid(where, `expected at most ${MAX_DIM} elements, received dims ${listText(dims)}`);
  }
  return dims;
}

export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** Decodes a TensorProto. The element count is checked against the bytes (or values) actually
 * present before anything is allocated, so a forged dims field cannot make us allocate, and the
 * values are charged to `budget` first: int64_data of small varints takes 1 byte a value in the
 * file but 8 once decoded. */
export function readTensor(t: OnnxTensor, where: string, budget: ImportBudget): ConstTensor {
  const dims = checkedDims(t.dims, where);
  const n = elementCount(dims);
  if (t.data_location === 1) {
    throw new GatedError(
      'UNSUPPORTED',
      `${where}: expected data inside the model, received external data (data_location = EXTERNAL)`,
    );
  }
  const type = t.data_type ?? 0;
  const raw = t.raw_data && t.raw_data.length > 0 ? t.raw_data : null;
  const width =
    type === DataType.FLOAT || type === DataType.INT32
      ? 4
      : type === DataType.INT64 || type === DataType.DOUBLE
        ? 8
        : 0;
  if (width === 0) {
    throw new GatedError(
      'UNSUPPORTED',
      `${where}: expected a FLOAT, DOUBLE, INT32 or INT64 tensor, received data_type ${type}`,
    );
  }
  const decodedWidth = type === DataType.FLOAT ? 4 : 8;
  if (raw) {
    if (raw.length !== n * width)
      invalid(where, `dims ${listText(dims)} need ${n * width} bytes of raw_data, received ${raw.length}`);
    budget.charge(n * decodedWidth, where);
    return { dims, ...readRaw(raw, type, n) };
  }
  const field =
    type === DataType.FLOAT
      ? t.float_data
      : type === DataType.INT32
        ? t.int32_data
        : type === DataType.DOUBLE
          ? t.double_data
          : t.int64_data;
  const list = (field ?? []) as unknown[];
  if (list.length !== n) invalid(where, `dims ${listText(dims)} need ${n} values, received ${list.length}`);
  budget.charge(n * decodedWidth, where);
  if (type === DataType.FLOAT) return { dims, values: Float32Array.from(list as number[]), integer: false };
  if (type === DataType.DOUBLE) return { dims, values: Float64Array.from(list as number[]), integer: false };
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = int64ToNumber(list[i] as never);
  return { dims, values, integer: true };
}

function readRaw(raw: Uint8Array, type: number, n: number): Omit<ConstTensor, 'dims'> {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (type === DataType.FLOAT) {
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = view.getFloat32(i * 4, true);
    return { values, integer: false };
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (type === DataType.DOUBLE) values[i] = view.getFloat64(i * 8, true);
    else if (type === DataType.INT32) values[i] = view.getInt32(i * 4, true);
    else
      values[i] = int64ToNumber({ low: view.getUint32(i * 8, true), high: view.getInt32(i * 8 + 4, true) });
  }
  return { values, integer: type !== DataType.DOUBLE };
}

/** A FLOAT TensorProto holding `values` bit-exactly as little-endian raw_data. */
export function floatTensor(name: string, dims: readonly number[], values: Float32Array): OnnxTensor {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return { name, dims: [...dims], data_type: DataType.FLOAT, raw_data: raw };
}

/** An INT64 TensorProto (shapes, axes, slice bounds). */
export function int64Tensor(name: string, dims: readonly number[], values: readonly number[]): OnnxTensor {
  return { name, dims: [...dims], data_type: DataType.INT64, int64_data: [...values] };
}
