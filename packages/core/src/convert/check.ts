import type { CellType, NormalizedConfig } from '../config.js';
import { describeValue, GatedError } from '../errors.js';
import { formatShape, shapeSize } from '../tensor.js';

/** Returns `value` if it is a Float32Array of the shape's size, else an INVALID_WEIGHTS error
 * naming the tensor, the expected shape and what was received. */
export function expectTensor(argument: string, value: unknown, shape: readonly number[]): Float32Array {
  const size = shapeSize(shape);
  if (!(value instanceof Float32Array)) {
    throw new GatedError(
      'INVALID_WEIGHTS',
      `${argument}: expected a Float32Array of shape ${formatShape(shape)}, received ${describeValue(value)}`,
    );
  }
  if (value.length !== size) {
    throw new GatedError(
      'INVALID_WEIGHTS',
      `${argument}: expected shape ${formatShape(shape)} (${size} values), received ${value.length} values`,
    );
  }
  return value;
}

/** An INVALID_WEIGHTS error for a tensor that must be absent under this config. */
export function expectAbsent(argument: string, value: unknown, reason: string): void {
  if (value !== undefined) {
    throw new GatedError(
      'INVALID_WEIGHTS',
      `${argument}: expected no tensor (${reason}), received ${describeValue(value)}`,
    );
  }
}

/** UNSUPPORTED unless the config only uses what the foreign format can store. */
export function requireRepresentable(
  config: NormalizedConfig,
  format: string,
  limits: { cells: readonly CellType[]; projection?: boolean; peephole?: boolean; bias?: boolean },
): void {
  const fail = (field: string, expected: string, received: unknown) => {
    throw new GatedError(
      'UNSUPPORTED',
      `config.${field}: ${format} weights need ${expected}, received ${describeValue(received)}`,
    );
  };
  if (!limits.cells.includes(config.cell))
    fail('cell', `cell ${limits.cells.map((c) => `'${c}'`).join(' or ')}`, config.cell);
  if (!limits.projection && config.projSize > 0)
    fail('projSize', 'projSize 0 (no projection)', config.projSize);
  if (!limits.peephole && config.peephole) fail('peephole', 'peephole false', config.peephole);
  if (limits.bias && !config.bias) fail('bias', 'bias true', config.bias);
}

/** INVALID_INPUT unless `layer` indexes a layer of the config. */
export function expectLayer(config: NormalizedConfig, layer: unknown): number {
  if (typeof layer !== 'number' || !Number.isInteger(layer) || layer < 0 || layer >= config.numLayers) {
    throw new GatedError(
      'INVALID_INPUT',
      `layer: expected an integer in [0, ${config.numLayers - 1}], received ${describeValue(layer)}`,
    );
  }
  return layer;
}

/** How per layer-direction lists are ordered (Keras layers, BasicLSTMCells). */
export const LAYER_DIRECTION_ENTRIES =
  'layer-direction entries (layer 0 forward, layer 0 backward if bidirectional, layer 1 forward, ...)';

/** INVALID_WEIGHTS unless `list` is an array of `count` entries. */
export function expectList<T>(argument: string, list: unknown, count: number, what: string): readonly T[] {
  if (!Array.isArray(list) || list.length !== count) {
    throw new GatedError(
      'INVALID_WEIGHTS',
      `${argument}: expected an array of ${count} ${what}, received ${describeValue(list)}`,
    );
  }
  return list as readonly T[];
}

/** Human label of entry k of a per layer-direction list. */
export function layerDirectionLabel(config: NormalizedConfig, index: number): string {
  const D = config.bidirectional ? 2 : 1;
  const layer = Math.floor(index / D);
  return D === 1 ? `layer ${layer}` : `layer ${layer} ${index % D === 0 ? 'forward' : 'backward'}`;
}
