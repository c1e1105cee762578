import { GatedError } from '@gated/core';
import { AttributeType, int64ToNumber, type OnnxAttribute, type OnnxNode } from './proto/types.js';

/** A readable name for a node in error messages: its name, else op type and first output. */
export function describeNode(node: OnnxNode): string {
  const label = node.name ? node.name : ((node.output ?? [])[0] ?? '?');
  return `${node.op_type ?? '?'} node '${String(label).slice(0, 60)}'`;
}

const decoder = new TextDecoder();

function decodeBytes(bytes: unknown): string {
  return bytes instanceof Uint8Array ? decoder.decode(bytes) : '';
}

/** Typed access to one node's attributes; a wrong attribute type is INVALID_FILE naming both. */
export class NodeAttributes {
  private readonly byName = new Map<string, OnnxAttribute>();

  constructor(private readonly node: OnnxNode) {
    for (const a of node.attribute ?? []) if (a.name) this.byName.set(a.name, a);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  private get(name: string, type: number, typeName: string): OnnxAttribute | undefined {
    const a = this.byName.get(name);
    if (a !== undefined && a.type !== undefined && a.type !== 0 && a.type !== type) {
      throw new GatedError(
        'INVALID_FILE',
        `${describeNode(this.node)}: attribute '${name}': expected ${typeName}, received attribute type ${a.type}`,
      );
    }
    return a;
  }

  int(name: string): number | undefined {
    const a = this.get(name, AttributeType.INT, 'INT');
    return a === undefined ? undefined : int64ToNumber(a.i);
  }

  float(name: string): number | undefined {
    return this.get(name, AttributeType.FLOAT, 'FLOAT')?.f;
  }

  string(name: string): string | undefined {
    const a = this.get(name, AttributeType.STRING, 'STRING');
    // protobufjs leaves an absent bytes field as an empty plain array, which TextDecoder rejects.
    return a === undefined ? undefined : decodeBytes(a.s);
  }

  ints(name: string): number[] | undefined {
    return this.get(name, AttributeType.INTS, 'INTS')?.ints?.map((v) => int64ToNumber(v));
  }

  floats(name: string): number[] | undefined {
    return this.get(name, AttributeType.FLOATS, 'FLOATS')?.floats;
  }

  strings(name: string): string[] | undefined {
    return this.get(name, AttributeType.STRINGS, 'STRINGS')?.strings?.map(decodeBytes);
  }

  tensor(name: string): OnnxAttribute['t'] {
    return this.get(name, AttributeType.TENSOR, 'TENSOR')?.t;
  }
}
