import { GatedError } from '@gated/core';
import { describeNode, NodeAttributes } from './attributes.js';
import { type ConstTensor, checkedDims, readTensor } from './const-tensor.js';
import type { GraphIndex } from './graph-index.js';
import { concatTensors, normalizeAxis, reshapeDims, sliceTensor, transposeTensor } from './tensor-ops.js';

/** Thrown inside the folder when a value is not a constant; turned into UNSUPPORTED by callers. */
export class NotConstant extends Error {}

const MAX_DEPTH = 64;

/** Evaluates the small ops exporters put on weights (Constant, Identity, Slice, Squeeze,
 * Unsqueeze, Concat, Reshape, Transpose) over initializers. Every element it allocates is
 * charged to a budget proportional to the file size, so a graph that concatenates a tensor
 * with itself over and over cannot make it allocate more than a small multiple of the file. */
export class ConstantFolder {
  private readonly cache = new Map<string, ConstTensor>();
  private readonly inProgress = new Set<string>();
  private budget: number;

  constructor(
    private readonly index: GraphIndex,
    fileSize: number,
  ) {
    this.budget = 2 * fileSize + 4096;
  }

  /** The constant value of `name`, or a NotConstant error saying what produces it instead. */
  value(name: string, depth = 0): ConstTensor {
    const cached = this.cache.get(name);
    if (cached) return cached;
    if (depth > MAX_DEPTH)
      throw new GatedError(
        'UNSUPPORTED',
        `value '${name.slice(0, 60)}': constant expression deeper than ${MAX_DEPTH} ops`,
      );
    if (this.inProgress.has(name)) {
      throw new GatedError(
        'INVALID_FILE',
        `graph: expected an acyclic graph, received a cycle through '${name.slice(0, 60)}'`,
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

  private charge(elements: number, where: string): void {
    this.budget -= elements;
    if (this.budget < 0) {
      throw new GatedError(
        'UNSUPPORTED',
        `${where}: constant folding would allocate more than twice the file size`,
      );
    }
  }

  private compute(name: string, depth: number): ConstTensor {
    const init = this.index.initializer(name);
    if (init) return readTensor(init, `initializer '${name.slice(0, 60)}'`);
    if (this.index.isGraphInput(name)) throw new NotConstant(`graph input '${name.slice(0, 60)}'`);
    const produced = this.index.producer(name);
    if (!produced)
      throw new GatedError(
        'INVALID_FILE',
        `value '${name.slice(0, 60)}': expected a graph input, initializer or node output, received an undefined name`,
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
        return constantValue(attrs, where);
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
        const out = sliceTensor(data, starts ?? [], ends ?? [], axes ?? null, steps, where);
        this.charge(out.values.length, where);
        return out;
      }
      case 'Concat': {
        const parts = (node.input ?? []).map((_, i) => input(i));
        const out = concatTensors(parts, attrs.int('axis') ?? 0, where);
        this.charge(out.values.length, where);
        return out;
      }
      case 'Transpose': {
        const data = input(0);
        this.charge(data.values.length, where);
        return transposeTensor(data, attrs.ints('perm') ?? null, where);
      }
      default:
        throw new NotConstant(`output of ${where}`);
    }
  }
}

function integers(t: ConstTensor | null): number[] | null {
  return t === null ? null : Array.from(t.values);
}

function constantValue(attrs: NodeAttributes, where: string): ConstTensor {
  const t = attrs.tensor('value');
  if (t) return readTensor(t, `${where} value`);
  const f = attrs.float('value_float');
  if (f !== undefined) return { dims: [], values: Float32Array.of(f), integer: false };
  const fs = attrs.floats('value_floats');
  if (fs) return { dims: [fs.length], values: Float32Array.from(fs), integer: false };
  const i = attrs.int('value_int');
  if (i !== undefined) return { dims: [], values: Float64Array.of(i), integer: true };
  const is = attrs.ints('value_ints');
  if (is) return { dims: [is.length], values: Float64Array.from(is), integer: true };
  throw new GatedError(
    'UNSUPPORTED',
    `${where}: expected a value, value_float(s) or value_int(s) attribute, received ${attrs.names().join(', ') || 'none'}`,
  );
}

function squeezeDims(dims: readonly number[], axes: number[] | null, where: string): number[] {
  if (axes === null) return dims.filter((d) => d !== 1);
  const drop = new Set(axes.map((a) => normalizeAxis(a, dims.length, where)));
  for (const a of drop) {
    if (dims[a] !== 1)
      throw new GatedError(
        'INVALID_FILE',
        `${where}: expected size 1 on squeezed axis ${a}, received dims [${dims.join(', ')}]`,
      );
  }
  return dims.filter((_, i) => !drop.has(i));
}

function unsqueezeDims(dims: readonly number[], axes: number[], where: string): number[] {
  const rank = dims.length + axes.length;
  const insert = new Set(axes.map((a) => normalizeAxis(a, rank, where)));
  if (insert.size !== axes.length)
    throw new GatedError('INVALID_FILE', `${where}: expected distinct axes, received [${axes.join(', ')}]`);
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < rank; i++) out.push(insert.has(i) ? 1 : dims[next++]);
  return checkedDims(out, where);
}
