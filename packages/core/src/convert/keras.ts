import {
  type AnyRecurrentConfig,
  layerInputSize,
  type NormalizedConfig,
  normalizeConfig,
  numDirections,
  outputSize,
} from '../config.js';
import { gateCount } from '../gates.js';
import { layerWeightNames, type Weights } from '../weights.js';
import {
  expectAbsent,
  expectList,
  expectTensor,
  LAYER_DIRECTION_ENTRIES,
  layerDirectionLabel,
  requireRepresentable,
} from './check.js';
import { addVectors, fromForeignRows, gateIndices, toForeignRows, transpose } from './gate-order.js';

/** One Keras / tfjs-layers recurrent layer-direction (`layer.getWeights()` of an LSTM, GRU or
 * SimpleRNN; a Bidirectional wrapper holds two: forward, then backward).
 * - `kernel` [I, G·H]: transposed relative to PyTorch; gate columns i,f,c,o (LSTM), z,r,h (GRU).
 * - `recurrentKernel` [H, G·H].
 * - `bias` [G·H]; GRU with reset_after=True (gated `resetAfter: true`): [2, 3H] = (input bias,
 *   recurrent bias). Absent when the layer has use_bias=False (gated `bias: false`). */
export interface KerasLayerWeights {
  readonly kernel: Float32Array;
  readonly recurrentKernel: Float32Array;
  readonly bias?: Float32Array;
}

const KERAS_ORDER = { lstm: ['i', 'f', 'g', 'o'], gru: ['z', 'r', 'n'], rnn: ['h'] } as const;

function representable(config: AnyRecurrentConfig): NormalizedConfig {
  const c = normalizeConfig(config);
  requireRepresentable(c, 'Keras', { cells: ['lstm', 'gru', 'rnn'] });
  return c;
}

/** Keras keeps the two GRU biases apart only with reset_after=True; otherwise one bias [G·H]. */
function hasSplitBias(c: NormalizedConfig): boolean {
  return c.cell === 'gru' && c.resetAfter;
}

/** Keras layer-direction weights → gated weights. `layers` holds one entry per layer-direction:
 * layer 0 forward, layer 0 backward (bidirectional only), layer 1 forward, ...
 * A single Keras bias becomes `bias_ih` (with `bias_hh` = 0), which is the same math. */
export function fromKeras(config: AnyRecurrentConfig, layers: readonly KerasLayerWeights[]): Weights {
  const c = representable(config);
  const D = numDirections(c);
  const G = gateCount(c.cell);
  const H = c.hiddenSize;
  const order = gateIndices(c.cell, KERAS_ORDER[c.cell]);
  const list = expectList<KerasLayerWeights>('layers', layers, c.numLayers * D, LAYER_DIRECTION_ENTRIES);
  const out: Record<string, Float32Array> = {};
  list.forEach((entry, index) => {
    const layer = Math.floor(index / D);
    const names = layerWeightNames(c, layer, index % D);
    const I = layerInputSize(c, layer);
    const label = `layers[${index}] (${layerDirectionLabel(c, index)})`;
    const kernel = expectTensor(`${label}.kernel`, entry?.kernel, [I, G * H]);
    const recurrent = expectTensor(`${label}.recurrentKernel`, entry?.recurrentKernel, [
      outputSize(c),
      G * H,
    ]);
    out[names.weightIh] = fromForeignRows(transpose(kernel, I, G * H), H, I, order);
    out[names.weightHh] = fromForeignRows(transpose(recurrent, H, G * H), H, H, order);
    if (names.biasIh === null || names.biasHh === null) {
      expectAbsent(`${label}.bias`, entry.bias, 'config.bias is false');
      return;
    }
    if (hasSplitBias(c)) {
      const bias = expectTensor(`${label}.bias`, entry.bias, [2, G * H]);
      out[names.biasIh] = fromForeignRows(bias.subarray(0, G * H), H, 1, order);
      out[names.biasHh] = fromForeignRows(bias.subarray(G * H), H, 1, order);
    } else {
      out[names.biasIh] = fromForeignRows(expectTensor(`${label}.bias`, entry.bias, [G * H]), H, 1, order);
      out[names.biasHh] = new Float32Array(G * H);
    }
  });
  return out;
}

/** gated weights → Keras layer-direction weights (same order as `fromKeras` takes). Where
 * Keras has a single bias (LSTM, SimpleRNN, GRU with resetAfter false), it is the f32 sum
 * bias_ih + bias_hh: both are added outside any gate product, so the math is unchanged. */
export function toKeras(config: AnyRecurrentConfig, weights: Weights): KerasLayerWeights[] {
  const c = representable(config);
  const D = numDirections(c);
  const G = gateCount(c.cell);
  const H = c.hiddenSize;
  const order = gateIndices(c.cell, KERAS_ORDER[c.cell]);
  const out: KerasLayerWeights[] = [];
  for (let layer = 0; layer < c.numLayers; layer++) {
    for (let d = 0; d < D; d++) {
      const names = layerWeightNames(c, layer, d);
      const I = layerInputSize(c, layer);
      const weightIh = expectTensor(`weights.${names.weightIh}`, weights[names.weightIh], [G * H, I]);
      const weightHh = expectTensor(`weights.${names.weightHh}`, weights[names.weightHh], [G * H, H]);
      const kernel = transpose(toForeignRows(weightIh, H, I, order), G * H, I);
      const recurrentKernel = transpose(toForeignRows(weightHh, H, H, order), G * H, H);
      if (names.biasIh === null || names.biasHh === null) {
        out.push({ kernel, recurrentKernel });
        continue;
      }
      const biasIh = toForeignRows(
        expectTensor(`weights.${names.biasIh}`, weights[names.biasIh], [G * H]),
        H,
        1,
        order,
      );
      const biasHh = toForeignRows(
        expectTensor(`weights.${names.biasHh}`, weights[names.biasHh], [G * H]),
        H,
        1,
        order,
      );
      let bias: Float32Array;
      if (hasSplitBias(c)) {
        bias = new Float32Array(2 * G * H);
        bias.set(biasIh);
        bias.set(biasHh, G * H);
      } else {
        bias = addVectors(biasIh, biasHh);
      }
      out.push({ kernel, recurrentKernel, bias });
    }
  }
  return out;
}

/** Groups a flat tfjs `layer.getWeights()` / Keras `get_weights()` list (kernel, recurrent
 * kernel[, bias] per layer-direction, in layer order) into `fromKeras` entries. */
export function groupKerasWeights(
  config: AnyRecurrentConfig,
  flat: readonly Float32Array[],
): KerasLayerWeights[] {
  const c = representable(config);
  const perEntry = c.bias ? 3 : 2;
  const count = c.numLayers * numDirections(c);
  expectList<Float32Array>('weights', flat, count * perEntry, `arrays (${perEntry} per layer-direction)`);
  const out: KerasLayerWeights[] = [];
  for (let k = 0; k < count; k++) {
    const [kernel, recurrentKernel, bias] = flat.slice(k * perEntry, (k + 1) * perEntry);
    out.push(c.bias ? { kernel, recurrentKernel, bias } : { kernel, recurrentKernel });
  }
  return out;
}
