import { int64Tensor } from './const-tensor.js';
import {
  AttributeType,
  DataType,
  type OnnxAttribute,
  type OnnxGraph,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from './proto/types.js';

/** Attributes whose numbers are FLOAT(S); every other number is an INT(S). */
const FLOAT_ATTRIBUTES = new Set(['clip', 'activation_alpha', 'activation_beta']);

const encoder = new TextEncoder();

function attribute(name: string, value: unknown): OnnxAttribute {
  const float = FLOAT_ATTRIBUTES.has(name);
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: encoder.encode(value) };
  if (typeof value === 'number')
    return float
      ? { name, type: AttributeType.FLOAT, f: value }
      : { name, type: AttributeType.INT, i: value };
  const list = value as unknown[];
  if (typeof list[0] === 'string')
    return { name, type: AttributeType.STRINGS, strings: list.map((s) => encoder.encode(s as string)) };
  return float
    ? { name, type: AttributeType.FLOATS, floats: list as number[] }
    : { name, type: AttributeType.INTS, ints: list as number[] };
}

function valueInfo(name: string, dims: readonly (number | string)[], type: 'float' | 'int32'): OnnxValueInfo {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: type === 'float' ? DataType.FLOAT : DataType.INT32,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

/** Accumulates nodes, initializers and graph inputs/outputs, naming intermediate values. */
export class GraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly inputs: OnnxValueInfo[] = [];
  private readonly outputs: OnnxValueInfo[] = [];
  private counter = 0;

  constructor(readonly opset: number) {}

  input(name: string, dims: readonly (number | string)[], type: 'float' | 'int32' = 'float'): string {
    this.inputs.push(valueInfo(name, dims, type));
    return name;
  }

  output(name: string, dims: readonly (number | string)[]): void {
    this.outputs.push(valueInfo(name, dims, 'float'));
  }

  initializer(tensor: OnnxTensor): string {
    this.initializers.push(tensor);
    return tensor.name ?? '';
  }

  int64Const(values: readonly number[]): string {
    return this.initializer(int64Tensor(`const_${this.counter++}`, [values.length], values));
  }

  /** Adds a node; returns its first output (named after the op unless `outputs` is given). */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Record<string, unknown>,
    outputs?: readonly string[],
  ): string {
    const names = outputs ?? [`${opType}_${this.counter++}`];
    this.nodes.push({
      name: `${opType}_${this.nodes.length}`,
      op_type: opType,
      input: [...inputs],
      output: [...names],
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
    });
    return names[0];
  }

  /** Rows [start, end) of axis 0. */
  sliceAxis0(name: string, start: number, end: number): string {
    return this.node(
      'Slice',
      [name, this.int64Const([start]), this.int64Const([end]), this.int64Const([0])],
      {},
    );
  }

  squeeze(name: string, axis: number): string {
    return this.opset >= 13
      ? this.node('Squeeze', [name, this.int64Const([axis])], {})
      : this.node('Squeeze', [name], { axes: [axis] });
  }

  build(name: string): OnnxGraph {
    return {
      name,
      node: this.nodes,
      initializer: this.initializers,
      input: this.inputs,
      output: this.outputs,
    };
  }
}
