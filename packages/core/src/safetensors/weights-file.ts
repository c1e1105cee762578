import type { AnyRecurrentConfig } from '../config.js';
import { describeValue, GatedError, quote } from '../errors.js';
import { formatShape } from '../tensor.js';
import { bytesView } from '../typed-arrays.js';
import { validateWeights, type Weights, weightShapes } from '../weights.js';
import { readSafetensors, type SafetensorsFile } from './read.js';
import { writeSafetensors } from './write.js';

/** The weights of `config` from a safetensors file (bytes or an already read file), e.g. a
 * PyTorch `state_dict` saved with `safetensors.torch.save_file`. `prefix` selects a submodule
 * (`'rnn.'` for `rnn.weight_ih_l0`); tensors outside the config are ignored. A missing or
 * wrongly shaped tensor is an INVALID_WEIGHTS error naming it. */
export function weightsFromSafetensors(
  config: AnyRecurrentConfig,
  file: Uint8Array | ArrayBuffer | ArrayBufferView | SafetensorsFile,
  options: { prefix?: string } = {},
): Weights {
  const { tensors } =
    bytesView(file) !== null ? readSafetensors(file as ArrayBufferView) : (file as SafetensorsFile);
  if (typeof tensors !== 'object' || tensors === null) {
    throw new GatedError(
      'INVALID_FILE',
      `file: expected safetensors bytes (Uint8Array, ArrayBuffer, DataView) or a read file, received ${describeValue(file)}`,
    );
  }
  const prefix = options.prefix ?? '';
  const out: Record<string, Float32Array> = {};
  for (const [name, shape] of Object.entries(weightShapes(config))) {
    const key = `${prefix}${name}`;
    const tensor = Object.hasOwn(tensors, key) ? tensors[key] : undefined;
    if (tensor === undefined) {
      throw new GatedError(
        'INVALID_WEIGHTS',
        `safetensors tensor ${quote(key, 120)}: expected shape ${formatShape(shape)}, received nothing (missing)`,
      );
    }
    if (tensor.shape.length !== shape.length || tensor.shape.some((d, k) => d !== shape[k])) {
      throw new GatedError(
        'INVALID_WEIGHTS',
        `safetensors tensor ${quote(key, 120)}: expected shape ${formatShape(shape)}, received ${formatShape(tensor.shape.slice(0, 8))}`,
      );
    }
    out[name] = tensor.data;
  }
  return validateWeights(config, out);
}

/** Serializes validated weights as an F32 safetensors file with PyTorch names and shapes
 * (prefixed by `prefix`), loadable by `safetensors.torch.load_file`. */
export function weightsToSafetensors(
  config: AnyRecurrentConfig,
  weights: Weights,
  options: { prefix?: string; metadata?: Record<string, string> } = {},
): Uint8Array {
  validateWeights(config, weights);
  const prefix = options.prefix ?? '';
  const tensors = Object.fromEntries(
    Object.entries(weightShapes(config)).map(([name, shape]) => [
      `${prefix}${name}`,
      { data: weights[name], shape },
    ]),
  );
  return writeSafetensors(tensors, options.metadata);
}
