// Test helper (excluded from the build, used by the structure-aware fuzz): a seeded picker
// and a model under construction, built from raw protobuf objects so that any attribute type,
// dims or data layout can be written, valid or not.
import { floatTensor } from './const-tensor.js';
import {
  AttributeType,
  DataType,
  type OnnxAttribute,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from './proto/types.js';

export class Picker {
  constructor(readonly random: () => number) {}

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)];
  }

  /** One of the keys, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    let r = this.random() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, w] of entries) {
      r -= w;
      if (r < 0) return key;
    }
    return entries[entries.length - 1][0];
  }

  /** f32-exact values in (-1, 1), so every encoding (raw, float_data, double) is bit-exact. */
  values(n: number): Float32Array {
    return Float32Array.from({ length: n }, () => Math.fround(this.random() * 2 - 1));
  }
}

const encoder = new TextEncoder();

export const attr = {
  int: (name: string, i: number): OnnxAttribute => ({ name, type: AttributeType.INT, i }),
  float: (name: string, f: number): OnnxAttribute => ({ name, type: AttributeType.FLOAT, f }),
  string: (name: string, s: string): OnnxAttribute => ({
    name,
    type: AttributeType.STRING,
    s: encoder.encode(s),
  }),
  ints: (name: string, ints: number[]): OnnxAttribute => ({ name, type: AttributeType.INTS, ints }),
  floats: (name: string, floats: number[]): OnnxAttribute => ({ name, type: AttributeType.FLOATS, floats }),
  strings: (name: string, list: string[]): OnnxAttribute => ({
    name,
    type: AttributeType.STRINGS,
    strings: list.map((s) => encoder.encode(s)),
  }),
  tensor: (name: string, t: OnnxTensor): OnnxAttribute => ({ name, type: AttributeType.TENSOR, t }),
};

/** A graph being generated; `valid` is cleared by any choice that makes it unimportable. */
export class ModelDraft {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  readonly inputs: OnnxValueInfo[] = [];
  private counter = 0;
  /** Why the file must not import (empty: it must import, unless doubted). */
  readonly defects: string[] = [];
  /** Choices that may or may not make the file unimportable. */
  readonly doubts: string[] = [];

  constructor(readonly opset: number) {}

  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  defect(why: string): void {
    this.defects.push(why);
  }

  doubt(why: string): void {
    this.doubts.push(why);
  }

  input(name: string): string {
    this.inputs.push({ name, type: { tensor_type: { elem_type: DataType.FLOAT } } });
    return name;
  }

  initializer(t: OnnxTensor): string {
    this.initializers.push(t);
    return t.name ?? '';
  }

  float(dims: readonly number[], values: Float32Array): string {
    return this.initializer(floatTensor(this.fresh('w'), dims, values));
  }

  int64(values: readonly number[]): string {
    const name = this.fresh('i');
    return this.initializer({
      name,
      dims: [values.length],
      data_type: DataType.INT64,
      int64_data: [...values],
    });
  }

  node(op: string, inputs: readonly string[], attributes: OnnxAttribute[] = [], outputs?: string[]): string {
    const names = outputs ?? [this.fresh(op)];
    this.nodes.push({
      name: this.fresh(`${op}_node`),
      op_type: op,
      input: [...inputs],
      output: names,
      attribute: attributes,
    });
    return names[0];
  }

  /** Unsqueeze / Squeeze with axes as the opset wants them (attribute before 13, input after). */
  axesOp(op: 'Squeeze' | 'Unsqueeze', data: string, axes: number[]): string {
    return this.opset >= 13
      ? this.node(op, [data, this.int64(axes)])
      : this.node(op, [data], [attr.ints('axes', axes)]);
  }

  /** Slice of [start, end) on one axis (inputs from opset 10, attributes before). */
  slice(data: string, axis: number, start: number, end: number): string {
    return this.opset >= 10
      ? this.node('Slice', [data, this.int64([start]), this.int64([end]), this.int64([axis])])
      : this.node(
          'Slice',
          [data],
          [attr.ints('starts', [start]), attr.ints('ends', [end]), attr.ints('axes', [axis])],
        );
  }

  model(): OnnxModel {
    return {
      ir_version: 8,
      producer_name: 'fuzz',
      opset_import: [{ domain: '', version: this.opset }],
      graph: {
        name: 'fuzz',
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: [],
      },
    };
  }
}
