import { GatedError } from '@gated/core';
import { type ConstTensor, checkedDims, elementCount } from './const-tensor.js';

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

function allocLike(t: ConstTensor, n: number): Float32Array | Float64Array {
  return t.values instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
}

/** Copies the elements of `t` picked by per-axis index maps into a new tensor of `dims`. */
function gather(
  t: ConstTensor,
  dims: number[],
  sourceIndex: (axis: number, i: number) => number,
): ConstTensor {
  const n = elementCount(dims);
  const out = allocLike(t, n);
  const inStrides = strides(t.dims);
  const outStrides = strides(dims);
  for (let flat = 0; flat < n; flat++) {
    let source = 0;
    for (let axis = 0; axis < dims.length; axis++) {
      source += sourceIndex(axis, Math.floor(flat / outStrides[axis]) % dims[axis]) * inStrides[axis];
    }
    out[flat] = t.values[source];
  }
  return { dims, values: out, integer: t.integer };
}

/** ONNX Reshape's target shape: 0 copies the input dimension (unless allowzero), -1 is inferred. */
export function reshapeDims(
  dims: readonly number[],
  shape: number[],
  allowZero: boolean,
  where: string,
): number[] {
  const total = elementCount(dims);
  let inferred = -1;
  const out = shape.map((d, i) => {
    if (d === 0 && !allowZero) {
      if (i >= dims.length)
        invalid(where, `shape [${shape.join(', ')}] copies a dimension input dims [${dims.join(', ')}] lack`);
      return dims[i];
    }
    if (d === -1) {
      if (inferred >= 0) invalid(where, `expected at most one -1 in shape, received [${shape.join(', ')}]`);
      inferred = i;
      return 1;
    }
    if (!Number.isInteger(d) || d < 0)
      invalid(where, `expected shape entries ≥ -1, received [${shape.join(', ')}]`);
    return d;
  });
  const known = elementCount(out);
  if (inferred >= 0) {
    if (known === 0 || total % known !== 0)
      invalid(where, `cannot reshape dims [${dims.join(', ')}] to [${shape.join(', ')}]`);
    out[inferred] = total / known;
  }
  if (elementCount(out) !== total)
    invalid(where, `cannot reshape dims [${dims.join(', ')}] to [${shape.join(', ')}]`);
  return checkedDims(out, where);
}

/** ONNX Slice (opset 10+ semantics; opset 1 is the same with steps of 1). */
export function sliceTensor(
  t: ConstTensor,
  starts: number[],
  ends: number[],
  axes: number[] | null,
  steps: number[] | null,
  where: string,
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
  return gather(t, dims, (axis, i) => begin[axis] + i * step[axis]);
}

export function concatTensors(parts: ConstTensor[], axis: number, where: string): ConstTensor {
  if (parts.length === 0) invalid(where, 'expected at least one input, received none');
  const rank = parts[0].dims.length;
  const a = normalizeAxis(axis, rank, where);
  for (const p of parts) {
    if (p.dims.length !== rank || p.dims.some((d, i) => i !== a && d !== parts[0].dims[i])) {
      invalid(
        where,
        `expected inputs of matching dims except axis ${a}, received [${parts[0].dims.join(', ')}] and [${p.dims.join(', ')}]`,
      );
    }
  }
  const dims = [...parts[0].dims];
  dims[a] = parts.reduce((sum, p) => sum + p.dims[a], 0);
  checkedDims(dims, where);
  const outer = elementCount(dims.slice(0, a));
  const float = parts.every((p) => p.values instanceof Float32Array);
  const out = float ? new Float32Array(elementCount(dims)) : new Float64Array(elementCount(dims));
  let offset = 0;
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const chunk = p.values.length / outer;
      out.set(p.values.subarray(o * chunk, (o + 1) * chunk), offset);
      offset += chunk;
    }
  }
  return { dims, values: out, integer: parts.every((p) => p.integer) };
}

export function transposeTensor(t: ConstTensor, perm: number[] | null, where: string): ConstTensor {
  const rank = t.dims.length;
  const p = perm ?? t.dims.map((_, i) => rank - 1 - i);
  if (
    p.length !== rank ||
    new Set(p).size !== rank ||
    p.some((a) => !Number.isInteger(a) || a < 0 || a >= rank)
  ) {
    invalid(where, `expected a permutation of ${rank} axes, received [${p.join(', ')}]`);
  }
  const dims = p.map((source) => t.dims[source]);
  const out = allocLike(t, t.values.length);
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
