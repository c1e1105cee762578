import {
  type AnyRecurrentConfig,
  layerInputSize,
  type NormalizedConfig,
  normalizeConfig,
  numDirections,
  outputSize,
} from './config.js';
import { describeValue, fieldPath, GatedError } from './errors.js';
import { gateCount } from './gates.js';
import { createRandom, uniformArray } from './random.js';
import { formatShape, shapeSize } from './tensor.js';
import { copyFloat32 } from './typed-arrays.js';
import { weightSizeHint } from './weight-size-hint.js';

/** Weights keyed by PyTorch `state_dict` names (plus `weight_ph_l{k}` for peepholes). */
export type Weights = Readonly<Record<string, Float32Array>>;

/** Name suffix of direction d: '' forward, '_reverse' reverse (PyTorch). */
export function directionSuffix(direction: number): string {
  return direction === 0 ? '' : '_reverse';
}

/** The names and shapes of one layer-direction's tensors. */
export interface LayerWeightNames {
  readonly weightIh: string;
  readonly weightHh: string;
  readonly biasIh: string | null;
  readonly biasHh: string | null;
  readonly weightHr: string | null;
  readonly weightPh: string | null;
}

export function layerWeightNames(
  config: NormalizedConfig,
  layer: number,
  direction: number,
): LayerWeightNames {
  const s = `_l${layer}${directionSuffix(direction)}`;
  return {
    weightIh: `weight_ih${s}`,
    weightHh: `weight_hh${s}`,
    biasIh: config.bias ? `bias_ih${s}` : null,
    biasHh: config.bias ? `bias_hh${s}` : null,
    weightHr: config.projSize > 0 ? `weight_hr${s}` : null,
    weightPh: config.peephole ? `weight_ph${s}` : null,
  };
}

/** Every tensor a config needs, in PyTorch `state_dict` order, with its shape. */
export function weightShapes(config: AnyRecurrentConfig): Record<string, number[]> {
  const c = normalizeConfig(config);
  const G = gateCount(c.cell);
  const H = c.hiddenSize;
  const Hout = outputSize(c);
  const shapes: Record<string, number[]> = {};
  for (let layer = 0; layer < c.numLayers; layer++) {
    for (let d = 0; d < numDirections(c); d++) {
      const n = layerWeightNames(c, layer, d);
      shapes[n.weightIh] = [G * H, layerInputSize(c, layer)];
      shapes[n.weightHh] = [G * H, Hout];
      if (n.biasIh && n.biasHh) {
        shapes[n.biasIh] = [G * H];
        shapes[n.biasHh] = [G * H];
      }
      if (n.weightHr) shapes[n.weightHr] = [c.projSize, H];
      if (n.weightPh) shapes[n.weightPh] = [3 * H];
    }
  }
  return shapes;
}

/** Checks names, sizes and finiteness of every tensor (INVALID_WEIGHTS names the tensor) and
 * returns core's own frozen snapshot of them: each tensor read once from `weights` and copied
 * (see copyFloat32), so a caller who changes its arrays later, or a getter that answers
 * differently on a second read, changes nothing that was validated. */
export function validateWeights(config: AnyRecurrentConfig, weights: Weights): Weights {
  const normalized = normalizeConfig(config);
  const shapes = weightShapes(normalized);
  const hintFor = (name: string, shape: number[], received: number) => {
    const hint = weightSizeHint(normalized, name, shape, received);
    return hint ? ` — that would be ${hint}` : '';
  };
  if (typeof weights !== 'object' || weights === null) {
    throw new GatedError(
      'INVALID_WEIGHTS',
      `weights: expected an object of Float32Array, received ${describeValue(weights)}`,
    );
  }
  const given = Object.keys(weights);
  for (const name of given) {
    if (!Object.hasOwn(shapes, name)) {
      const names = Object.keys(shapes);
      const list =
        names.length > 6 ? `${names.slice(0, 6).join(', ')}, … (${names.length} in all)` : names.join(', ');
      throw new GatedError(
        'INVALID_WEIGHTS',
        `${fieldPath('weights', name)}: unexpected tensor for this config (expected only ${list})`,
      );
    }
  }
  const snapshot: Record<string, Float32Array> = Object.create(null);
  for (const [name, shape] of Object.entries(shapes)) {
    const w = weights[name];
    if (w === undefined) {
      throw new GatedError(
        'INVALID_WEIGHTS',
        `weights.${name}: expected a Float32Array of shape ${formatShape(shape)}, received nothing (missing)`,
      );
    }
    const copy = copyFloat32(w);
    if (copy === null) {
      throw new GatedError(
        'INVALID_WEIGHTS',
        `weights.${name}: expected a Float32Array, received ${describeValue(w)}`,
      );
    }
    if (copy.length !== shapeSize(shape)) {
      throw new GatedError(
        'INVALID_WEIGHTS',
        `weights.${name}: expected shape ${formatShape(shape)} (${shapeSize(shape)} values), received ${copy.length} values${hintFor(name, shape, copy.length)}`,
      );
    }
    for (let i = 0; i < copy.length; i++) {
      if (!Number.isFinite(copy[i])) {
        throw new GatedError(
          'INVALID_WEIGHTS',
          `weights.${name}: expected finite values, received ${copy[i]} at index ${i}`,
        );
      }
    }
    snapshot[name] = copy;
  }
  return Object.freeze(snapshot);
}

/** PyTorch's initialisation, U(-1/√H, 1/√H) for every tensor, from a seeded PRNG. */
export function initWeights(
  config: AnyRecurrentConfig,
  options: { seed?: number } = {},
): Record<string, Float32Array> {
  const random = createRandom(options.seed ?? 0);
  const bound = 1 / Math.sqrt(normalizeConfig(config).hiddenSize);
  const out: Record<string, Float32Array> = {};
  for (const [name, shape] of Object.entries(weightShapes(config))) {
    out[name] = uniformArray(shapeSize(shape), -bound, bound, random);
  }
  return out;
}
