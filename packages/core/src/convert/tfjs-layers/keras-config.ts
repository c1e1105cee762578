import type { Activation } from '../../activations.js';
import type { RecurrentConfig } from '../../config.js';
import { describeValue, GatedError, quote } from '../../errors.js';
import type { KerasRecurrentLayer } from './keras-layers.js';

function unsupported(layer: KerasRecurrentLayer, setting: string, value: unknown, why: string): never {
  throw new GatedError(
    'UNSUPPORTED',
    `layer ${quote(layer.name)} (${layer.bidirectional ? `Bidirectional(${layer.className})` : layer.className}): ${setting} = ${describeValue(value)} ${why}`,
  );
}

/** A Keras activation (snake_case as Keras and tfjs-layers write it, or camelCase) as gated's.
 * hard_sigmoid is clip(0.2·x + 0.5, 0, 1) in Keras 2 and tfjs-layers, relu6(x + 3) / 6 in
 * Keras 3; Keras 3's leaky_relu has slope 0.2. */
function activation(layer: KerasRecurrentLayer, key: string, fallback: string, keras3: boolean): Activation {
  let value = layer.config[key] ?? fallback;
  // Keras 3 may write { module, class_name: 'function', config: 'tanh' }.
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { config?: unknown }).config === 'string'
  ) {
    value = (value as { config: string }).config;
  }
  switch (value) {
    case 'sigmoid':
    case 'tanh':
    case 'relu':
    case 'elu':
    case 'softsign':
    case 'softplus':
      return value as Activation;
    case 'linear':
      return 'affine';
    case 'hard_sigmoid':
    case 'hardSigmoid':
      return { name: 'hardSigmoid', alpha: keras3 ? 1 / 6 : 0.2, beta: 0.5 };
    case 'leaky_relu':
      return { name: 'leakyRelu', alpha: 0.2 };
    default:
      return unsupported(layer, key, value, 'has no gated activation (gated has the ONNX set)');
  }
}

/** UNSUPPORTED naming the layer and the setting, for the settings gated cannot express (the
 * activations are checked where they are read). */
export function assertSupported(layer: KerasRecurrentLayer): void {
  const c = layer.config;
  if (c.stateful === true) {
    unsupported(layer, 'stateful', true, 'keeps state across calls; gated takes h0 / c0 per call instead');
  }
  if (c.unroll === true) unsupported(layer, 'unroll', true, 'is not supported');
  if (layer.bidirectional && layer.mergeMode !== 'concat') {
    unsupported(
      layer,
      'merge_mode',
      layer.mergeMode,
      "is not supported: gated's bidirectional output is concat",
    );
  }
  if (layer.bidirectional && c.go_backwards === true) {
    unsupported(layer, 'go_backwards', true, 'inside Bidirectional is not supported');
  }
}

/** gated's config for a Keras recurrent layer (inputs batch-first, as Keras feeds them), or
 * UNSUPPORTED naming the layer and the setting gated cannot express. Dropout is ignored (it
 * does nothing at inference); unit_forget_bias only initialises the bias, which the weights
 * already hold. `resetAfter` comes from the bias when the config does not say. */
export function kerasRecurrentConfig(
  layer: KerasRecurrentLayer,
  shapes: { inputSize: number; splitBias: boolean | null },
  kerasVersion: string,
): { config: RecurrentConfig; goBackwards: boolean } {
  const c = layer.config;
  const keras3 = /^3\./.test(kerasVersion);
  const tfjs = kerasVersion.startsWith('tfjs');
  assertSupported(layer);
  const units = c.units;
  if (typeof units !== 'number' || !Number.isInteger(units) || units < 1) {
    throw new GatedError(
      'INVALID_FILE',
      `layer ${quote(layer.name)}: expected a positive integer units, received ${describeValue(units)}`,
    );
  }
  const base = {
    inputSize: shapes.inputSize,
    hiddenSize: units,
    batchFirst: c.time_major !== true,
    bias: c.use_bias !== false,
    ...(layer.bidirectional ? { bidirectional: true } : {}),
  };
  const candidate = activation(layer, 'activation', 'tanh', keras3);
  let config: RecurrentConfig;
  if (layer.className === 'SimpleRNN') {
    config =
      candidate === 'tanh' || candidate === 'relu'
        ? { cell: 'rnn', ...base, nonlinearity: candidate }
        : { cell: 'rnn', ...base, activations: { candidate } };
  } else {
    const gate = activation(layer, 'recurrent_activation', tfjs ? 'hard_sigmoid' : 'sigmoid', keras3);
    const activations =
      gate === 'sigmoid' && candidate === 'tanh'
        ? {}
        : { activations: { gate, candidate, ...(layer.className === 'LSTM' ? { cell: candidate } : {}) } };
    if (layer.className === 'LSTM') {
      config = { cell: 'lstm', ...base, ...activations };
    } else {
      const declared = c.reset_after;
      if (declared !== undefined && typeof declared !== 'boolean') {
        throw new GatedError(
          'INVALID_FILE',
          `layer ${quote(layer.name)}: expected reset_after true or false, received ${describeValue(declared)}`,
        );
      }
      const resetAfter = declared ?? shapes.splitBias ?? (keras3 || (!tfjs && kerasVersion !== ''));
      config = { cell: 'gru', ...base, resetAfter, ...activations };
    }
  }
  return { config, goBackwards: c.go_backwards === true };
}
