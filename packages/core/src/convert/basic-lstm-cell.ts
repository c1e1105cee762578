import {
  type AnyRecurrentConfig,
  layerInputSize,
  type NormalizedConfig,
  normalizeConfig,
  numDirections,
} from '../config.js';
import { describeValue, GatedError } from '../errors.js';
import { layerWeightNames, type Weights } from '../weights.js';
import {
  expectList,
  expectTensor,
  LAYER_DIRECTION_ENTRIES,
  layerDirectionLabel,
  requireRepresentable,
} from './check.js';
import { fromForeignRows, gateIndices, sliceRows, toForeignRows, transpose } from './gate-order.js';

/** One TF1 `BasicLSTMCell` / tfjs `tf.basicLSTMCell` layer-direction:
 * - `kernel` [I + H, 4H]: rows multiply concat(x, h), gate columns i,j,f,o (j = candidate);
 * - `bias` [4H];
 * - `forgetBias`: added to the f pre-activation at run time (TF1 and tfjs default 1.0). */
export interface BasicLstmCellWeights {
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
  readonly forgetBias?: number;
}

const BASIC_ORDER = ['i', 'g', 'f', 'o'] as const;
/** Index of the f block in gated's (PyTorch) order i,f,g,o. */
const FORGET_BLOCK = 1;
const DEFAULT_FORGET_BIAS = 1;

function representable(config: AnyRecurrentConfig, needsBias: boolean): NormalizedConfig {
  const c = normalizeConfig(config);
  requireRepresentable(c, 'BasicLSTMCell', { cells: ['lstm'], bias: needsBias });
  return c;
}

function forgetBiasOf(argument: string, value: unknown): number {
  const forgetBias = value ?? DEFAULT_FORGET_BIAS;
  if (typeof forgetBias !== 'number' || !Number.isFinite(forgetBias)) {
    throw new GatedError(
      'INVALID_WEIGHTS',
      `${argument}: expected a finite number, received ${describeValue(forgetBias)}`,
    );
  }
  return forgetBias;
}

/** BasicLSTMCell weights → gated weights. Takes one cell, or one per layer-direction (layer 0
 * forward, layer 0 backward, layer 1 forward, ...). The kernel splits into `weight_ih` and
 * `weight_hh`; `bias` becomes `bias_ih`, and `bias_hh` holds the forget bias in its f block
 * (so converting back gives the same bits). */
export function fromBasicLstmCell(
  config: AnyRecurrentConfig,
  cells: BasicLstmCellWeights | readonly BasicLstmCellWeights[],
): Weights {
  const c = representable(config, true);
  const D = numDirections(c);
  const H = c.hiddenSize;
  const order = gateIndices('lstm', BASIC_ORDER);
  const list = expectList<BasicLstmCellWeights>(
    'cells',
    Array.isArray(cells) ? cells : [cells],
    c.numLayers * D,
    LAYER_DIRECTION_ENTRIES,
  );
  const out: Record<string, Float32Array> = {};
  list.forEach((cell, index) => {
    const layer = Math.floor(index / D);
    const names = layerWeightNames(c, layer, index % D);
    const I = layerInputSize(c, layer);
    const label = `cells[${index}] (${layerDirectionLabel(c, index)})`;
    const kernel = transpose(expectTensor(`${label}.kernel`, cell?.kernel, [I + H, 4 * H]), I + H, 4 * H);
    const bias = expectTensor(`${label}.bias`, cell.bias, [4 * H]);
    const forgetBias = forgetBiasOf(`${label}.forgetBias`, cell.forgetBias);
    // kernel is now [4H, I + H]: columns 0..I-1 act on x, I..I+H-1 on h.
    const weightIh = new Float32Array(4 * H * I);
    const weightHh = new Float32Array(4 * H * H);
    for (let row = 0; row < 4 * H; row++) {
      weightIh.set(kernel.subarray(row * (I + H), row * (I + H) + I), row * I);
      weightHh.set(kernel.subarray(row * (I + H) + I, (row + 1) * (I + H)), row * H);
    }
    out[names.weightIh] = fromForeignRows(weightIh, H, I, order);
    out[names.weightHh] = fromForeignRows(weightHh, H, H, order);
    out[names.biasIh as string] = fromForeignRows(bias, H, 1, order);
    const biasHh = new Float32Array(4 * H);
    biasHh.fill(forgetBias, FORGET_BLOCK * H, (FORGET_BLOCK + 1) * H);
    out[names.biasHh as string] = biasHh;
  });
  return out;
}

/** gated weights → one BasicLSTMCell per layer-direction, for a cell run with `forgetBias`
 * (default 1.0): bias = bias_ih + bias_hh, minus forgetBias in the f block. */
export function toBasicLstmCell(
  config: AnyRecurrentConfig,
  weights: Weights,
  options: { forgetBias?: number } = {},
): BasicLstmCellWeights[] {
  const c = representable(config, false);
  const forgetBias = forgetBiasOf('options.forgetBias', options.forgetBias);
  const H = c.hiddenSize;
  const order = gateIndices('lstm', BASIC_ORDER);
  const out: BasicLstmCellWeights[] = [];
  for (let layer = 0; layer < c.numLayers; layer++) {
    for (let d = 0; d < numDirections(c); d++) {
      const names = layerWeightNames(c, layer, d);
      const I = layerInputSize(c, layer);
      const tensor = (name: string, shape: number[]) => expectTensor(`weights.${name}`, weights[name], shape);
      const weightIh = toForeignRows(tensor(names.weightIh, [4 * H, I]), H, I, order);
      const weightHh = toForeignRows(tensor(names.weightHh, [4 * H, H]), H, H, order);
      const stacked = new Float32Array(4 * H * (I + H));
      for (let row = 0; row < 4 * H; row++) {
        stacked.set(sliceRows(weightIh, I, row, row + 1), row * (I + H));
        stacked.set(sliceRows(weightHh, H, row, row + 1), row * (I + H) + I);
      }
      const biasIh = names.biasIh ? tensor(names.biasIh, [4 * H]) : new Float32Array(4 * H);
      const biasHh = names.biasHh ? tensor(names.biasHh, [4 * H]) : new Float32Array(4 * H);
      const bias = new Float32Array(4 * H);
      for (let k = 0; k < 4 * H; k++) {
        const shift = k >= FORGET_BLOCK * H && k < (FORGET_BLOCK + 1) * H ? forgetBias : 0;
        // (bias_hh - forgetBias) first: exact when bias_hh holds just the forget bias.
        bias[k] = biasIh[k] + Math.fround(biasHh[k] - shift);
      }
      out.push({
        kernel: transpose(stacked, 4 * H, I + H),
        bias: toForeignRows(bias, H, 1, order),
        forgetBias,
      });
    }
  }
  return out;
}
