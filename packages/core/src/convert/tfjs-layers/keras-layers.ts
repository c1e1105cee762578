import { describeValue, GatedError, quote } from '../../errors.js';
import type { WeightSpec } from './weight-data.js';

/** A recurrent layer of a Keras / tfjs-layers topology: LSTM, GRU or SimpleRNN, alone or
 * inside a Bidirectional wrapper. */
export interface KerasRecurrentLayer {
  /** The layer's name (the wrapper's, for a Bidirectional layer). */
  readonly name: string;
  readonly className: 'LSTM' | 'GRU' | 'SimpleRNN';
  /** The recurrent layer's own config (the wrapped layer's, for a Bidirectional layer). */
  readonly config: Readonly<Record<string, unknown>>;
  /** The Bidirectional wrapper's merge_mode, or null for a plain layer. */
  readonly mergeMode: unknown;
  readonly bidirectional: boolean;
}

const RECURRENT = ['LSTM', 'GRU', 'SimpleRNN'] as const;
const NESTED_MODELS = ['Sequential', 'Model', 'Functional'];

function invalid(message: string): never {
  throw new GatedError('INVALID_FILE', message);
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** The model topology of a model.json (`modelTopology`, possibly under `model_config`), or of
 * a bare Keras model config. */
export function modelTopology(modelJson: unknown): { model: Record<string, unknown>; kerasVersion: string } {
  const json = record(modelJson);
  if (json === null)
    invalid(`modelJson: expected the parsed model.json object, received ${describeValue(modelJson)}`);
  if (json.format === 'graph-model') {
    invalid(
      "modelJson: expected a layers model, received a graph model (format 'graph-model'), which keeps no Keras layers",
    );
  }
  const topology = record(json.modelTopology) ?? json;
  const model = record(topology.model_config) ?? topology;
  if (typeof model.class_name !== 'string') {
    invalid(
      `modelJson.modelTopology: expected a Keras model config { class_name, config }, received ${describeValue(model.class_name)}`,
    );
  }
  const version = topology.keras_version ?? json.keras_version;
  return { model, kerasVersion: typeof version === 'string' ? version : '' };
}

/** Every LSTM, GRU and SimpleRNN layer of a Keras model config, in model order, also inside
 * Bidirectional wrappers and nested Sequential / functional models. */
export function findRecurrentLayers(model: Record<string, unknown>): KerasRecurrentLayer[] {
  const found: KerasRecurrentLayer[] = [];
  const visit = (layer: Record<string, unknown>, depth: number): void => {
    if (depth > 32) invalid('modelJson: expected models nested at most 32 deep');
    const className = layer.class_name;
    const config = record(layer.config) ?? {};
    const layers = Array.isArray(layer.config) ? layer.config : config.layers;
    if (typeof className === 'string' && NESTED_MODELS.includes(className) && Array.isArray(layers)) {
      for (const inner of layers) {
        const child = record(inner);
        if (child) visit(child, depth + 1);
      }
      return;
    }
    const name =
      typeof config.name === 'string' ? config.name : typeof layer.name === 'string' ? layer.name : '';
    if (className === 'Bidirectional') {
      const inner = record(config.layer);
      const innerClass = inner?.class_name;
      if (!inner || !RECURRENT.includes(innerClass as (typeof RECURRENT)[number])) {
        throw new GatedError(
          'UNSUPPORTED',
          `layer ${quote(name)}: Bidirectional wraps ${describeValue(innerClass)}; gated reads Bidirectional(LSTM / GRU / SimpleRNN)`,
        );
      }
      found.push({
        name,
        className: innerClass as KerasRecurrentLayer['className'],
        config: record(inner.config) ?? {},
        mergeMode: config.merge_mode === undefined ? 'concat' : config.merge_mode,
        bidirectional: true,
      });
      return;
    }
    if (RECURRENT.includes(className as (typeof RECURRENT)[number])) {
      found.push({
        name,
        className: className as KerasRecurrentLayer['className'],
        config,
        mergeMode: null,
        bidirectional: false,
      });
    }
  };
  visit(model, 0);
  return found;
}

/** The layer's kernel, recurrent_kernel and bias weights (per direction for a Bidirectional
 * layer, forward first), found by name: the layer's name as one path component, then
 * (Bidirectional) a component starting with `forward` or `backward`, and the weight's own name
 * last (`lstm/lstm_cell/kernel`, `bidirectional/forward_gru/gru_cell/bias`, `gru_1/kernel`). */
export function layerWeightNames(
  layer: KerasRecurrentLayer,
  specs: readonly WeightSpec[],
): { kernel?: string; recurrent_kernel?: string; bias?: string }[] {
  const directions = layer.bidirectional ? ['forward', 'backward'] : [''];
  return directions.map((direction) => {
    const names: { kernel?: string; recurrent_kernel?: string; bias?: string } = {};
    for (const spec of specs) {
      const parts = spec.name.replace(/:\d+$/, '').split('/');
      const at = parts.indexOf(layer.name);
      const last = parts[parts.length - 1];
      if (at < 0 || at === parts.length - 1) continue;
      if (last !== 'kernel' && last !== 'recurrent_kernel' && last !== 'bias') continue;
      const inner = parts.slice(at + 1, -1);
      if (direction && !inner.some((part) => part.startsWith(direction))) continue;
      if (names[last] !== undefined) {
        invalid(
          `weightsManifest: layer ${quote(layer.name)} has two ${direction ? `${direction} ` : ''}weights named ${last}: ${quote(names[last])} and ${quote(spec.name)}`,
        );
      }
      names[last] = spec.name;
    }
    return names;
  });
}
