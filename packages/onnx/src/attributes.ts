import { GatedError, quote } from '@gated/core';
import { AttributeType, int64ToNumber, type OnnxAttribute, type OnnxNode } from './proto/types.js';

/** Op types are identifiers (LSTM, Slice, com.microsoft's FusedConv...); anything else is quoted. */
const PLAIN_OP_TYPE = /^[A-Za-z_][\w.]{0,39}$/;

/** A readable name for a node in error messages: op type and its name (else its first output),
 * both cut short, since a file can hold a 900,000-character name. */
export function describeNode(node: OnnxNode): string {
  const label = node.name ? node.name : ((node.output ?? [])[0] ?? '?');
  return `${opTypeText(node.op_type)} node ${quote(label, 60)}`;
}

/** An op type for an error message: as is when it looks like one, else quoted and cut short. */
export function opTypeText(op: string | undefined): string {
  return op === undefined ? '?' : PLAIN_OP_TYPE.test(op) ? op : quote(op, 40);
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
        `${describeNode(this.node)}: attribute ${quote(name, 40)}: expected ${typeName}, received attribute type ${a.type}`,
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
