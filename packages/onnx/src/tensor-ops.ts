import { GatedError } from '@gated/core';
import { type ConstTensor, checkedDims, elementCount } from './const-tensor.js';
import type { ImportBudget } from './import-budget.js';
import { listText } from './list-text.js';

function invalid(where: string, message: string): never {
  throw new GatedError('INVALID_FILE', `${where}: ${message}`);
}

export function normalizeAxis(axis: number, rank: number, where: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank)
    invalid(where, `expected an axis in [${-rank}, ${rank - 1}], received ${axis}`);
  return axis < 0 ? axis + rank : axis;
}

function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1] * dims[i + 1];
  return s;
}

/** A new array of `n` elements of `t`'s kind, charged to `budget` before it exists. */
function allocLike(
  t: ConstTensor,
  n: number,
  budget: ImportBudget,
  where: string,
): Float32Array | Float64Array {
  budget.charge(n * t.values.BYTES_PER_ELEMENT, where);
  return t.values instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
}

/** ONNX Reshape's target shape: 0 copies the input dimension (unless allowzero), -1 is inferred. */
export function reshapeDims(
  dims: readonly number[],
  shape: number[],
  allowZero: boolean,
  where: string,
): number[] {
  const total = elementCount(dims);
  const cannot = () => invalid(where, `cannot reshape dims ${listText(dims)} to ${listText(shape)}`);
  let inferred = -1;
  const out = shape.map((d, i) => {
    if (d === 0 && !allowZero) {
      if (i >= dims.length)
        invalid(where, `shape ${listText(shape)} copies a dimension input dims ${listText(dims)} lack`);
      return dims[i];
    }
    if (d === -1) {
      if (inferred >= 0) invalid(where, `expected at most one -1 in shape, received ${listText(shape)}`);
      inferred = i;
      return 1;
    }
    if (!Number.isInteger(d) || d < 0)
      invalid(where, `expected shape entries ≥ -1, received ${listText(shape)}`);
    return d;
  });
  const known = elementCount(out);
  if (inferred >= 0) {
    if (known === 0 || total % known !== 0) cannot();
    out[inferred] = total / known;
  }
  if (elementCount(out) !== total) cannot();
  return checkedDims(out, where);
}

/** ONNX Slice (opset 10+ semantics; opset 1 is the same with steps of 1). A slice that is one
 * contiguous run of the input (torch.onnx.export slicing gate blocks off axis 0) is a view,
 * which costs nothing; any other is a copy charged to `budget`. */
export function sliceTensor(
  t: ConstTensor,
  starts: number[],
  ends: number[],
  axes: number[] | null,
  steps: number[] | null,
  where: string,
  budget: ImportBudget,
): ConstTensor {
  const rank = t.dims.length;
  const sliceAxes = (axes ?? starts.map((_, i) => i)).map((a) => normalizeAxis(a, rank, where));
  if (
    starts.length !== ends.length ||
    sliceAxes.length !== starts.length ||
    (steps && steps.length !== starts.length)
  ) {
    invalid(
      where,
      `expected starts, ends, axes and steps of one length, received ${starts.length}, ${ends.length}, ${sliceAxes.length}, ${steps?.length ?? '-'}`,
    );
  }
  const begin = t.dims.map(() => 0);
  const step = t.dims.map(() => 1);
  const dims = [...t.dims];
  sliceAxes.forEach((axis, k) => {
    const size = t.dims[axis];
    const s = steps ? steps[k] : 1;
    if (!Number.isInteger(s) || s === 0) invalid(where, `expected non-zero integer steps, received ${s}`);
    const clampTo = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + size : v, lo), hi);
    const start = s > 0 ? clampTo(starts[k], 0, size) : clampTo(starts[k], -1, size - 1);
    const end = s > 0 ? clampTo(ends[k], 0, size) : clampTo(ends[k], -1, size - 1);
    begin[axis] = start;
    step[axis] = s;
    dims[axis] = Math.max(0, Math.ceil((end - start) / s));
  });
  const n = elementCount(dims);
  const inStrides = strides(t.dims);
  const contiguous = contiguousRun(t.dims, dims, begin, step);
  if (contiguous) {
    const offset = begin.reduce((sum, b, axis) => sum + b * inStrides[axis], 0);
    return { dims, values: t.values.subarray(offset, offset + n), integer: t.integer };
  }
  const out = allocLike(t, n, budget, where);
  const outStrides = strides(dims);
  for (let flat = 0; flat < n; flat++) {
    let source = 0;
    for (let axis = 0; axis < rank; axis++) {
      const i = Math.floor(flat / outStrides[axis]) % dims[axis];
      source += (begin[axis] + i * step[axis]) * inStrides[axis];
    }
    out[flat] = t.values[source];
  }
  return { dims, values: out, integer: t.integer };
}

/** Whether the slice (begin, step, output dims) of a row-major tensor of `inDims` is one
 * contiguous run: size 1 on every axis before some axis j, whole on every axis after it, step 1
 * wherever more than one element is taken. */
function contiguousRun(
  inDims: readonly number[],
  dims: readonly number[],
  begin: readonly number[],
  step: readonly number[],
): boolean {
  if (dims.some((d, axis) => d > 1 && step[axis] !== 1)) return false;
  let j = dims.length - 1;
  while (j >= 0 && dims[j] === inDims[j] && begin[j] === 0) j--;
  for (let axis = 0; axis < j; axis++) if (dims[axis] > 1) return false;
  return true;
}

export function concatTensors(
  parts: ConstTensor[],
  axis: number,
  where: string,
  budget: ImportBudget,
): ConstTensor {
  if (parts.length === 0) invalid(where, 'expected at least one input, received none');
  const rank = parts[0].dims.length;
  const a = normalizeAxis(axis, rank, where);
  for (const p of parts) {
    if (p.dims.length !== rank || p.dims.some((d, i) => i !== a && d !== parts[0].dims[i])) {
      invalid(
        where,
        `expected inputs of matching dims except axis ${a}, received ${listText(parts[0].dims)} and ${listText(p.dims)}`,
      );
    }
  }
  const dims = [...parts[0].dims];
  dims[a] = parts.reduce((sum, p) => sum + p.dims[a], 0);
  checkedDims(dims, where);
  const n = elementCount(dims);
  const float = parts.every((p) => p.values instanceof Float32Array);
  budget.charge(n * (float ? 4 : 8), where);
  const out = float ? new Float32Array(n) : new Float64Array(n);
  // Empty parts add nothing; skipping them keeps the copy loop within the output's size (a
  // Concat of 100,000 empty inputs over a long outer axis would otherwise spin for minutes).
  const filled = parts.filter((p) => p.values.length > 0);
  const outer = n === 0 ? 0 : elementCount(dims.slice(0, a));
  let offset = 0;
  for (let o = 0; o < outer; o++) {
    for (const p of filled) {
      const chunk = p.values.length / outer;
      out.set(p.values.subarray(o * chunk, (o + 1) * chunk), offset);
      offset += chunk;
    }
  }
  return { dims, values: out, integer: parts.every((p) => p.integer) };
}

export function transposeTensor(
  t: ConstTensor,
  perm: number[] | null,
  where: string,
  budget: ImportBudget,
): ConstTensor {
  const rank = t.dims.length;
  const p = perm ?? t.dims.map((_, i) => rank - 1 - i);
  if (
    p.length !== rank ||
    new Set(p).size !== rank ||
    p.some((a) => !Number.isInteger(a) || a < 0 || a >= rank)
  ) {
    invalid(where, `expected a permutation of ${rank} axes, received ${listText(p)}`);
  }
  const dims = p.map((source) => t.dims[source]);
  const out = allocLike(t, t.values.length, budget, where);
  const inStrides = strides(t.dims);
  const outStrides = strides(dims);
  // Output axis k walks input axis p[k].
  for (let flat = 0; flat < out.length; flat++) {
    let source = 0;
    for (let k = 0; k < rank; k++) source += (Math.floor(flat / outStrides[k]) % dims[k]) * inStrides[p[k]];
    out[flat] = t.values[source];
  }
  return { dims, values: out, integer: t.integer };
}
