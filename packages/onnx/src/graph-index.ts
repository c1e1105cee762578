import { GatedError, quote } from '@gated/core';
import { describeNode } from './attributes.js';
import type { OnnxGraph, OnnxModel, OnnxNode, OnnxTensor } from './proto/types.js';
import { int64ToNumber } from './proto/types.js';

/** Lookups over one decoded graph: who produces a value, which values are initializers or
 * graph inputs, and the default-domain opset. */
export class GraphIndex {
  readonly nodes: readonly OnnxNode[];
  readonly opset: number;
  private readonly producers = new Map<string, { node: OnnxNode; index: number }>();
  private readonly initializers = new Map<string, OnnxTensor>();
  private readonly inputs = new Set<string>();

  constructor(model: OnnxModel) {
    const graph: OnnxGraph | undefined = model.graph;
    if (!graph) throw new GatedError('INVALID_FILE', 'model.graph: expected a graph, received none');
    this.nodes = graph.node ?? [];
    const defaultDomain = (model.opset_import ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
    this.opset = defaultDomain ? int64ToNumber(defaultDomain.version) : 1;
    for (const t of graph.initializer ?? []) if (t.name) this.initializers.set(t.name, t);
    for (const v of graph.input ?? []) if (v.name && !this.initializers.has(v.name)) this.inputs.add(v.name);
    for (const node of this.nodes) {
      (node.output ?? []).forEach((name, index) => {
        if (!name) return;
        if (this.producers.has(name) || this.initializers.has(name) || this.inputs.has(name)) {
          throw new GatedError(
            'INVALID_FILE',
            `${describeNode(node)}: output ${quote(name, 60)} is already defined in the graph (SSA violation)`,
          );
        }
        this.producers.set(name, { node, index });
      });
    }
  }

  producer(name: string): { node: OnnxNode; index: number } | undefined {
    return this.producers.get(name);
  }

  initializer(name: string): OnnxTensor | undefined {
    return this.initializers.get(name);
  }

  isGraphInput(name: string): boolean {
    return this.inputs.has(name);
  }
}

/** Ops that only move data around between stacked recurrent nodes (torch.onnx.export writes
 * Transpose + Reshape for bidirectional layers, Squeeze for unidirectional ones). */
const PLUMBING = new Set(['Transpose', 'Reshape', 'Squeeze', 'Unsqueeze', 'Identity', 'Flatten']);

export interface TracedSource {
  /** The graph input or recurrent node output the value comes from; null if neither. */
  readonly source: { kind: 'input'; name: string } | { kind: 'node'; node: OnnxNode; index: number } | null;
  /** Transposes met on the way, nearest the source first, as their `perm` attributes. */
  readonly transposes: readonly (readonly number[])[];
  /** The node the trace stopped at when it reached neither. */
  readonly stoppedAt: OnnxNode | null;
}

/** Most plumbing ops between two recurrent layers: torch.onnx.export writes at most three
 * (Transpose, Reshape, Squeeze). The bound keeps tracing linear: 5,000 recurrent nodes reading
 * through one 5,000-op chain would otherwise walk it 5,000 times. */
export const MAX_PLUMBING_HOPS = 64;

/** Follows `name` back through plumbing ops to a graph input or a non-plumbing node. */
export function traceSource(
  index: GraphIndex,
  name: string,
  transposePerm: (node: OnnxNode) => number[],
): TracedSource {
  const transposes: number[][] = [];
  const visited = new Set<string>();
  for (let hops = 0; ; hops++) {
    if (visited.has(name)) {
      throw new GatedError(
        'INVALID_FILE',
        `graph: expected an acyclic graph, received a cycle through ${quote(name, 60)}`,
      );
    }
    visited.add(name);
    if (index.isGraphInput(name))
      return { source: { kind: 'input', name }, transposes: transposes.reverse(), stoppedAt: null };
    const produced = index.producer(name);
    if (!produced) return { source: null, transposes, stoppedAt: null };
    const { node } = produced;
    if (!PLUMBING.has(node.op_type ?? '')) {
      return {
        source: { kind: 'node', node, index: produced.index },
        transposes: transposes.reverse(),
        stoppedAt: null,
      };
    }
    if (hops === MAX_PLUMBING_HOPS) {
      throw new GatedError(
        'UNSUPPORTED',
        `${describeNode(node)}: expected at most ${MAX_PLUMBING_HOPS} ${[...PLUMBING].join(' / ')} ops between recurrent layers, received more`,
      );
    }
    if (node.op_type === 'Transpose') transposes.push(transposePerm(node));
    name = (node.input ?? [])[0] ?? '';
  }
}
