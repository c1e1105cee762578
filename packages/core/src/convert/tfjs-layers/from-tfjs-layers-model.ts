import type { RecurrentConfig } from '../../config.js';
import { describeValue, GatedError, quote } from '../../errors.js';
import { gateCount } from '../../gates.js';
import type { Weights } from '../../weights.js';
import { fromKeras, type KerasLayerWeights } from '../keras.js';
import { assertSupported, kerasRecurrentConfig } from './keras-config.js';
import { findRecurrentLayers, layerWeightNames, modelTopology } from './keras-layers.js';
import { decodeWeights, type WeightData, type WeightSpec } from './weight-data.js';

/** A recurrent layer of a Keras / tfjs-layers model, ready for `backend.compile(config, weights)`. */
export interface KerasModelLayer {
  /** The Keras layer's name (the Bidirectional wrapper's for a bidirectional layer). */
  readonly name: string;
  /** Batch-first ([B, T, I]), as Keras feeds its layers. */
  readonly config: RecurrentConfig;
  readonly weights: Weights;
  /** Keras go_backwards: the layer runs over the time-reversed input and returns its outputs in
   * that reversed order: reverse x along time before `forward` to get Keras' output. */
  readonly goBackwards: boolean;
}

function invalid(message: string): never {
  throw new GatedError('INVALID_FILE', message);
}

/** The weight specs of a model.json (`weightsManifest` groups, in order) or of tfjs model
 * artifacts (`weightSpecs`, e.g. from `tf.io.withSaveHandler`). */
export function weightSpecs(modelJson: unknown): WeightSpec[] {
  const json = modelJson as { weightSpecs?: unknown; weightsManifest?: unknown };
  const specs = Array.isArray(json.weightSpecs)
    ? json.weightSpecs
    : Array.isArray(json.weightsManifest)
      ? json.weightsManifest.flatMap((group: { weights?: unknown }) =>
          Array.isArray(group?.weights) ? group.weights : [],
        )
      : invalid(
          `modelJson: expected weightsManifest (model.json) or weightSpecs (artifacts), received ${describeValue(json.weightsManifest)}`,
        );
  return specs.map((spec: unknown, index: number) => {
    const s = spec as Partial<WeightSpec> | null;
    if (
      !s ||
      typeof s.name !== 'string' ||
      !Array.isArray(s.shape) ||
      typeof s.dtype !== 'string' ||
      !s.shape.every((d) => Number.isInteger(d) && d >= 0)
    ) {
      invalid(
        `modelJson weights[${index}]: expected { name, shape, dtype }, received ${describeValue(spec)}`,
      );
    }
    return s as WeightSpec;
  });
}

/** Every LSTM, GRU, SimpleRNN and Bidirectional(LSTM / GRU / SimpleRNN) layer of a Keras or
 * tfjs-layers model (Sequential or functional, nested models too), in model order, as gated
 * `{ name, config, weights }`. `modelJson` is the parsed model.json (or tfjs model artifacts),
 * `weightData` its weights: the shards concatenated in manifest order. A setting gated cannot
 * express (stateful, unroll, merge_mode other than concat, an activation outside gated's set)
 * is GatedError('UNSUPPORTED') naming the layer and the setting; a malformed file is
 * INVALID_FILE. Needs no tfjs. */
export function fromTfjsLayersModel(modelJson: unknown, weightData: WeightData): KerasModelLayer[] {
  const { model, kerasVersion } = modelTopology(modelJson);
  const specs = weightSpecs(modelJson);
  const values = decodeWeights(specs, weightData);
  const shapes = new Map(specs.map((s) => [s.name, s.shape]));
  return findRecurrentLayers(model).map((layer) => {
    assertSupported(layer);
    const names = layerWeightNames(layer, specs);
    const entries = names.map((direction, d) => {
      const label = layer.bidirectional ? ` (${d === 0 ? 'forward' : 'backward'})` : '';
      const get = (key: 'kernel' | 'recurrent_kernel' | 'bias', required: boolean) => {
        const name = direction[key];
        if (name === undefined) {
          if (required)
            invalid(
              `weightsManifest: expected a ${key} weight for layer ${quote(layer.name)}${label}, received none`,
            );
          return undefined;
        }
        return {
          name,
          shape: shapes.get(name) as readonly number[],
          values: values.get(name) as Float32Array,
        };
      };
      return {
        kernel: get('kernel', true)!,
        recurrent: get('recurrent_kernel', true)!,
        bias: get('bias', false),
      };
    });
    const first = entries[0];
    const { config, goBackwards } = kerasRecurrentConfig(
      layer,
      { inputSize: first.kernel.shape[0] ?? 0, splitBias: first.bias ? first.bias.shape.length === 2 : null },
      kerasVersion,
    );
    const G = gateCount(config.cell);
    for (const entry of entries) {
      const H = config.hiddenSize;
      const expect = (w: { name: string; shape: readonly number[] } | undefined, shape: number[]) => {
        if (w && (w.shape.length !== shape.length || w.shape.some((d, k) => d !== shape[k]))) {
          invalid(
            `weightsManifest: layer ${quote(layer.name)} weight ${quote(w.name)}: expected shape [${shape.join(', ')}], received [${w.shape.join(', ')}]`,
          );
        }
      };
      expect(entry.kernel, [config.inputSize, G * H]);
      expect(entry.recurrent, [H, G * H]);
      if (config.bias !== false && !entry.bias)
        invalid(
          `weightsManifest: expected a bias weight for layer ${quote(layer.name)} (use_bias is true), received none`,
        );
      if (config.bias === false && entry.bias)
        invalid(
          `weightsManifest: layer ${quote(layer.name)} has use_bias false and a bias weight ${quote(entry.bias.name)}`,
        );
      expect(entry.bias, config.cell === 'gru' && config.resetAfter !== false ? [2, G * H] : [G * H]);
    }
    const keras: KerasLayerWeights[] = entries.map((e) => ({
      kernel: e.kernel.values,
      recurrentKernel: e.recurrent.values,
      ...(e.bias ? { bias: e.bias.values } : {}),
    }));
    return { name: layer.name, config, weights: fromKeras(config, keras), goBackwards };
  });
}
