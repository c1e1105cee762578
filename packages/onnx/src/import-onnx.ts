import {
  fromOnnx,
  GatedError,
  isGatedError,
  normalizeConfig,
  quote,
  type RecurrentConfig,
  type Weights,
  weightShapes,
} from '@gated/core';
import { describeNode, NodeAttributes, opTypeText } from './attributes.js';
import { ConstantFolder } from './constant-folding.js';
import { GraphIndex, traceSource } from './graph-index.js';
import { ImportBudget } from './import-budget.js';
import { listText } from './list-text.js';
import { decodeModel } from './proto/codec.js';
import type { OnnxNode } from './proto/types.js';
import { parseRecurrentNode, RECURRENT_OPS, type RecurrentLayer } from './recurrent-node.js';

export interface ImportedModel {
  readonly config: RecurrentConfig;
  readonly weights: Weights;
}

/** Reads an ONNX model holding one stack of LSTM, GRU or RNN nodes — a single node from any
 * producer, or the graph torch.onnx.export writes for nn.LSTM / nn.GRU / nn.RNN — into a gated
 * config and weights. Synchronous: the bytes are already in memory and nothing runs.
 *
 * Errors: INVALID_FILE for bytes that are not a well-formed model, or that would take more
 * memory than the import budget allows (see ImportBudget); UNSUPPORTED, naming the node, for a
 * model gated cannot represent (reverse-only layers, several independent stacks, weights
 * computed at run time, per-direction activations...). */
export function importOnnx(bytes: Uint8Array): ImportedModel {
  const model = decodeModel(bytes);
  const index = new GraphIndex(model);
  const folder = new ConstantFolder(index, new ImportBudget(bytes.length, 'decoding and folding constants'));
  const recurrentNodes = index.nodes.filter(
    (n) => (!n.domain || n.domain === 'ai.onnx') && Object.hasOwn(RECURRENT_OPS, n.op_type ?? ''),
  );
  if (recurrentNodes.length === 0) {
    const ops = new Set<string>();
    for (const n of index.nodes) if (ops.size < 12) ops.add(opTypeText(n.op_type));
    throw new GatedError(
      'UNSUPPORTED',
      `graph: expected an LSTM, GRU or RNN node, received ${ops.size > 0 ? `only ${[...ops].join(', ')}` : 'no nodes'}`,
    );
  }
  const layers = recurrentNodes.map((node) => parseRecurrentNode(node, folder));
  const { ordered, batchFirstInput } = orderStack(index, layers);
  return assemble(ordered, batchFirstInput, new ImportBudget(bytes.length, 'the weights'));
}

function transposePerm(node: OnnxNode): number[] {
  return new NodeAttributes(node).ints('perm') ?? [];
}

const samePerm = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/** Orders the recurrent nodes into one stack: the first reads a graph input (possibly through
 * a [1, 0, 2] Transpose: batch-first), each next one reads the previous one's Y through the
 * exporter's Transpose / Reshape / Squeeze plumbing. */
function orderStack(
  index: GraphIndex,
  layers: RecurrentLayer[],
): { ordered: RecurrentLayer[]; batchFirstInput: boolean } {
  const byNode = new Map(layers.map((l) => [l.node, l]));
  const next = new Map<RecurrentLayer, RecurrentLayer>();
  const firsts: { layer: RecurrentLayer; batchFirst: boolean }[] = [];
  for (const layer of layers) {
    const where = describeNode(layer.node);
    const x = (layer.node.input ?? [])[0];
    if (!x) throw new GatedError('INVALID_FILE', `${where}: expected input X, received none`);
    const traced = traceSource(index, x, transposePerm);
    const { source, transposes } = traced;
    if (source?.kind === 'input') {
      const batchFirst = transposes.length === 1 && samePerm(transposes[0], [1, 0, 2]);
      if (transposes.length > 0 && !batchFirst) {
        throw new GatedError(
          'UNSUPPORTED',
          `${where}: X: expected the graph input, transposed at most by perm [1, 0, 2], received transposes ${listText(transposes)}`,
        );
      }
      firsts.push({ layer, batchFirst });
      continue;
    }
    const previous = source?.kind === 'node' && source.index === 0 ? byNode.get(source.node) : undefined;
    if (!previous) {
      const from =
        source?.kind === 'node'
          ? `output ${source.index} of ${describeNode(source.node)}`
          : `${quote(x, 60)}, which no node produces`;
      throw new GatedError(
        'UNSUPPORTED',
        `${where}: X: expected a graph input or the Y output of the previous recurrent layer, received ${from}`,
      );
    }
    // Y is [T, D, B, H] (layout 0): bidirectional outputs need [0, 2, 1, 3] before the reshape to [T, B, D·H].
    const needsTranspose = previous.directions === 2 && !previous.batchFirst;
    const ok = needsTranspose
      ? transposes.length === 1 && samePerm(transposes[0], [0, 2, 1, 3])
      : transposes.length === 0 || (transposes.length === 1 && samePerm(transposes[0], [0, 2, 1, 3]));
    if (!ok) {
      throw new GatedError(
        'UNSUPPORTED',
        `${where}: X: expected the previous layer's Y as [T, B, D·H], received it through transposes ${listText(transposes)}`,
      );
    }
    if (next.has(previous)) {
      throw new GatedError(
        'UNSUPPORTED',
        `${describeNode(previous.node)}: Y: expected one recurrent layer reading it, received several (branching graphs are not one model)`,
      );
    }
    next.set(previous, layer);
  }
  if (firsts.length !== 1) {
    throw new GatedError(
      'UNSUPPORTED',
      `graph: expected one stack of recurrent layers reading the graph input, received ${firsts.length} stacks`,
    );
  }
  const ordered: RecurrentLayer[] = [];
  for (let layer: RecurrentLayer | undefined = firsts[0].layer; layer; layer = next.get(layer))
    ordered.push(layer);
  if (ordered.length !== layers.length) {
    throw new GatedError(
      'UNSUPPORTED',
      `graph: expected all ${layers.length} recurrent nodes in one stack, received a stack of ${ordered.length}`,
    );
  }
  return { ordered, batchFirstInput: firsts[0].batchFirst };
}

function assemble(layers: RecurrentLayer[], batchFirstInput: boolean, budget: ImportBudget): ImportedModel {
  const first = layers[0];
  const key = (l: RecurrentLayer) =>
    JSON.stringify([l.cell, l.directions, l.hiddenSize, l.batchFirst, l.options]);
  const firstKey = key(first);
  for (const [k, layer] of layers.entries()) {
    if (key(layer) !== firstKey) {
      throw new GatedError(
        'UNSUPPORTED',
        `${describeNode(layer.node)}: expected the same cell, hidden_size, direction, layout and attributes as ${describeNode(first.node)} (one stacked model), received different ones`,
      );
    }
    const expectedInput = first.directions * first.hiddenSize;
    if (k > 0 && layer.inputSize !== expectedInput) {
      throw new GatedError(
        'INVALID_FILE',
        `${describeNode(layer.node)}: W: expected input size ${expectedInput} (previous layer's D·H), received ${layer.inputSize}`,
      );
    }
  }
  if (first.batchFirst && batchFirstInput) {
    throw new GatedError(
      'UNSUPPORTED',
      `${describeNode(first.node)}: expected layout = 1 or a [1, 0, 2] Transpose of the input, received both`,
    );
  }
  const hasBias = layers.some((l) => l.weights.B !== undefined);
  const hasPeephole = layers.some((l) => l.weights.P !== undefined);
  const config: RecurrentConfig = {
    cell: first.cell,
    inputSize: first.inputSize,
    hiddenSize: first.hiddenSize,
    numLayers: layers.length,
    bidirectional: first.directions === 2,
    bias: hasBias,
    batchFirst: first.batchFirst || batchFirstInput,
    ...(first.cell === 'lstm' ? { peephole: hasPeephole } : {}),
    ...first.options,
  };
  const weights: Record<string, Float32Array> = {};
  try {
    const normalized = normalizeConfig(config);
    // Layers may share one W / R / B: 2,000 nodes reading a 131 KB W would return 2,000 copies
    // of it. Charged in full before the first copy is made.
    let bytes = 0;
    for (const shape of Object.values(weightShapes(normalized)))
      bytes += 4 * shape.reduce((n, d) => n * d, 1);
    budget.charge(bytes, `graph: ${layers.length} ${first.cell.toUpperCase()} layers`);
    // A layer without B (or P) beside one with it gets zeros, which is what ONNX means.
    for (const [k, layer] of layers.entries()) {
      const converted = fromOnnx(normalized, k, layer.weights);
      for (const [name, values] of Object.entries(converted)) expectFinite(layer, name, values);
      Object.assign(weights, converted);
    }
  } catch (error) {
    if (isGatedError(error) && (error.code === 'INVALID_CONFIG' || error.code === 'INVALID_WEIGHTS')) {
      throw new GatedError('INVALID_FILE', `${describeNode(first.node)}: ${error.message}`, { cause: error });
    }
    throw error;
  }
  return { config, weights };
}

/** Checked on the converted tensors, whose size the budget bounds (not on the node's inputs,
 * which many nodes may share or view). */
function expectFinite(layer: RecurrentLayer, name: string, values: Float32Array): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new GatedError(
        'INVALID_FILE',
        `${describeNode(layer.node)}: weights.${name}: expected finite values, received ${values[i]} at index ${i}`,
      );
    }
  }
}
