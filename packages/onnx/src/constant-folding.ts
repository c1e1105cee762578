import { GatedError, quote } from '@gated/core';
import { describeNode, NodeAttributes } from './attributes.js';
import { type ConstTensor, checkedDims, readTensor } from './const-tensor.js';
import type { GraphIndex } from './graph-index.js';
import type { ImportBudget } from './import-budget.js';
import { listText } from './list-text.js';
import { concatTensors, normalizeAxis, reshapeDims, sliceTensor, transposeTensor } from './tensor-ops.js';

/** Thrown inside the folder when a value is not a constant; turned into UNSUPPORTED by callers. */
export class NotConstant extends Error {}

const MAX_DEPTH = 64;

/** Evaluates the small ops exporters put on weights (Constant, Identity, Slice, Squeeze,
 * Unsqueeze, Concat, Reshape, Transpose) over initializers. Every byte it decodes or allocates
 * is charged to `budget` (a multiple of the file size) before it is allocated, so a graph that
 * concatenates a tensor with itself over and over cannot make it allocate more than that. */
export class ConstantFolder {
  private readonly cache = new Map<string, ConstTensor>();
  private readonly inProgress = new Set<string>();
  /** f32 copies of DOUBLE weights, made once however many nodes share the tensor. */
  private readonly floats = new WeakMap<Float64Array, Float32Array>();

  constructor(
    private readonly index: GraphIndex,
    private readonly budget: ImportBudget,
  ) {}

  /** The constant value of `name`, or a NotConstant error saying what produces it instead. */
  value(name: string, depth = 0): ConstTensor {
    const cached = this.cache.get(name);
    if (cached) return cached;
    if (depth > MAX_DEPTH)
      throw new GatedError(
        'UNSUPPORTED',
        `value ${quote(name, 60)}: constant expression deeper than ${MAX_DEPTH} ops`,
      );
    if (this.inProgress.has(name)) {
      throw new GatedError(
        'INVALID_FILE',
        `graph: expected an acyclic graph, received a cycle through ${quote(name, 60)}`,
      );
    }
    this.inProgress.add(name);
    try {
      const value = this.compute(name, depth);
      this.cache.set(name, value);
      return value;
    } finally {
      this.inProgress.delete(name);
    }
  }

  /** `t`'s values as f32 (weights): the same array for FLOAT, a charged copy made once for
   * DOUBLE. */
  float32(t: ConstTensor, where: string): Float32Array {
    if (t.values instanceof Float32Array) return t.values;
    let values = this.floats.get(t.values);
    if (!values) {
      this.budget.charge(t.values.length * 4, where);
      values = Float32Array.from(t.values);
      this.floats.set(t.values, values);
    }
    return values;
  }

  private compute(name: string, depth: number): ConstTensor {
    const init = this.index.initializer(name);
    if (init) return readTensor(init, `initializer ${quote(name, 60)}`, this.budget);
    if (this.index.isGraphInput(name)) throw new NotConstant(`graph input ${quote(name, 60)}`);
    const produced = this.index.producer(name);
    if (!produced)
      throw new GatedError(
        'INVALID_FILE',
        `value ${quote(name, 60)}: expected a graph input, initializer or node output, received an undefined name`,
      );
    const { node } = produced;
    if (produced.index !== 0) throw new NotConstant(`output ${produced.index} of ${describeNode(node)}`);
    const where = describeNode(node);
    const input = (i: number): ConstTensor => {
      const inputName = (node.input ?? [])[i];
      if (!inputName) throw new GatedError('INVALID_FILE', `${where}: expected input ${i}, received none`);
      return this.value(inputName, depth + 1);
    };
    const optionalInput = (i: number): ConstTensor | null => ((node.input ?? [])[i] ? input(i) : null);
    const attrs = new NodeAttributes(node);
    switch (node.domain ? '' : node.op_type) {
      case 'Constant':
        return constantValue(attrs, where, this.budget);
      case 'Identity':
        return input(0);
      case 'Unsqueeze':
      case 'Squeeze': {
        const data = input(0);
        const axes = this.index.opset >= 13 ? integers(optionalInput(1)) : (attrs.ints('axes') ?? null);
        const dims =
          node.op_type === 'Squeeze'
            ? squeezeDims(data.dims, axes, where)
            : unsqueezeDims(data.dims, axes ?? [], where);
        return { ...data, dims };
      }
      case 'Reshape': {
        const data = input(0);
        return {
          ...data,
          dims: reshapeDims(data.dims, integers(input(1)) ?? [], attrs.int('allowzero') === 1, where),
        };
      }
      case 'Slice': {
        const data = input(0);
        const legacy = this.index.opset < 10;
        const starts = legacy ? attrs.ints('starts') : integers(input(1));
        const ends = legacy ? attrs.ints('ends') : integers(input(2));
        const axes = legacy ? attrs.ints('axes') : integers(optionalInput(3));
        const steps = legacy ? null : integers(optionalInput(4));
        return sliceTensor(data, starts ?? [], ends ?? [], axes ?? null, steps, where, this.budget);
      }
      case 'Concat': {
        const parts = (node.input ?? []).map((_, i) => input(i));
        return concatTensors(parts, attrs.int('axis') ?? 0, where, this.budget);
      }
      case 'Transpose':
        return transposeTensor(input(0), attrs.ints('perm') ?? null, where, this.budget);
      default:
        throw new NotConstant(`output of ${where}`);
    }
  }
}

function integers(t: ConstTensor | null): number[] | null {
  return t === null ? null : Array.from(t.values);
}

function constantValue(attrs: NodeAttributes, where: string, budget: ImportBudget): ConstTensor {
  const t = attrs.tensor('value');
  if (t) return readTensor(t, `${where} value`, budget);
  const f = attrs.float('value_float');
  if (f !== undefined) return { dims: [], values: Float32Array.of(f), integer: false };
  const fs = attrs.floats('value_floats');
  if (fs) {
    budget.charge(fs.length * 4, where);
    return { dims: [fs.length], values: Float32Array.from(fs), integer: false };
  }
  const i = attrs.int('value_int');
  if (i !== undefined) return { dims: [], values: Float64Array.of(i), integer: true };
  const is = attrs.ints('value_ints');
  if (is) {
    budget.charge(is.length * 8, where);
    return { dims: [is.length], values: Float64Array.from(is), integer: true };
  }
  throw new GatedError(
    'UNSUPPORTED',
    `${where}: expected a value, value_float(s) or value_int(s) attribute, received ${attrs.names().length > 0 ? listText(attrs.names()) : 'none'}`,
  );
}

function squeezeDims(dims: readonly number[], axes: number[] | null, where: string): number[] {
  if (axes === null) return dims.filter((d) => d !== 1);
  const drop = new Set(axes.map((a) => normalizeAxis(a, dims.length, where)));
  for (const a of drop) {
    if (dims[a] !== 1)
      throw new GatedError(
        'INVALID_FILE',
        `${where}: expected size 1 on squeezed axis ${a}, received dims ${listText(dims)}`,
      );
  }
  return dims.filter((_, i) => !drop.has(i));
}

function unsqueezeDims(dims: readonly number[], axes: number[], where: string): number[] {
  const rank = dims.length + axes.length;
  const insert = new Set(axes.map((a) => normalizeAxis(a, rank, where)));
  if (insert.size !== axes.length)
    throw new GatedError('INVALID_FILE', `${where}: expected distinct axes, received ${listText(axes)}`);
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < rank; i++) out.push(insert.has(i) ? 1 : dims[next++]);
  return checkedDims(out, where);
}
