import { describe, expect, it } from 'vitest';
import type { RecurrentConfig } from '../config.js';
import { GatedError } from '../errors.js';
import { initWeights, type Weights } from '../weights.js';
import { fromKeras, groupKerasWeights, toKeras } from './keras.js';

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** Random weights whose bias_hh is zero, the form that a single Keras bias maps back to. */
function weightsWithZeroHiddenBias(config: RecurrentConfig): Record<string, Float32Array> {
  const weights = initWeights(config, { seed: 7 });
  for (const name of Object.keys(weights)) if (name.startsWith('bias_hh')) weights[name].fill(0);
  return weights;
}

function expectSameBits(actual: Weights, expected: Weights) {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const name of Object.keys(expected)) expect(bits(actual[name]), name).toEqual(bits(expected[name]));
}

const SINGLE_BIAS_CONFIGS: RecurrentConfig[] = [
  { cell: 'lstm', inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true },
  { cell: 'gru', inputSize: 4, hiddenSize: 3, resetAfter: false, numLayers: 2 },
  { cell: 'rnn', inputSize: 2, hiddenSize: 6, bidirectional: true },
];

describe('Keras converter', () => {
  it.each(SINGLE_BIAS_CONFIGS)(
    'round-trips $cell weights gated → Keras → gated bit-identically',
    (config) => {
      const weights = weightsWithZeroHiddenBias(config);
      expectSameBits(fromKeras(config, toKeras(config, weights)), weights);
    },
  );

  it('round-trips GRU resetAfter weights with both biases bit-identically', () => {
    const config: RecurrentConfig = {
      cell: 'gru',
      inputSize: 5,
      hiddenSize: 4,
      numLayers: 2,
      bidirectional: true,
    };
    const weights = initWeights(config, { seed: 3 });
    expectSameBits(fromKeras(config, toKeras(config, weights)), weights);
    expect(toKeras(config, weights)[0].bias?.length).toBe(2 * 3 * 4);
  });

  it('round-trips weights without bias', () => {
    const config: RecurrentConfig = { cell: 'lstm', inputSize: 3, hiddenSize: 2, bias: false };
    const weights = initWeights(config, { seed: 5 });
    const keras = toKeras(config, weights);
    expect(keras[0].bias).toBeUndefined();
    expectSameBits(fromKeras(config, keras), weights);
  });

  it.each(SINGLE_BIAS_CONFIGS)(
    'round-trips $cell weights Keras → gated → Keras bit-identically',
    (config) => {
      const keras = toKeras(config, initWeights(config, { seed: 11 }));
      const again = toKeras(config, fromKeras(config, keras));
      again.forEach((entry, k) => {
        expect(bits(entry.kernel)).toEqual(bits(keras[k].kernel));
        expect(bits(entry.recurrentKernel)).toEqual(bits(keras[k].recurrentKernel));
        expect(bits(entry.bias!)).toEqual(bits(keras[k].bias!));
      });
    },
  );

  it('stores a single Keras bias as the f32 sum bias_ih + bias_hh', () => {
    const config: RecurrentConfig = { cell: 'lstm', inputSize: 2, hiddenSize: 3 };
    const weights = initWeights(config, { seed: 1 });
    const expected = weights.bias_ih_l0.map((b, k) => b + weights.bias_hh_l0[k]);
    expect(bits(toKeras(config, weights)[0].bias!)).toEqual(bits(expected));
  });

  it('transposes the kernel and orders LSTM gate columns i, f, c, o', () => {
    const config: RecurrentConfig = { cell: 'lstm', inputSize: 2, hiddenSize: 3 };
    const weights = initWeights(config);
    const { kernel } = toKeras(config, weights)[0];
    // kernel[i, col] = weight_ih[col, i]; Keras i,f,c,o is PyTorch i,f,g,o.
    for (let i = 0; i < 2; i++)
      for (let col = 0; col < 12; col++) expect(kernel[i * 12 + col]).toBe(weights.weight_ih_l0[col * 2 + i]);
  });

  it('orders GRU gate columns z, r, h', () => {
    const config: RecurrentConfig = { cell: 'gru', inputSize: 1, hiddenSize: 1 };
    const weights = { ...initWeights(config), weight_ih_l0: Float32Array.of(10, 20, 30) }; // r, z, n
    expect(Array.from(toKeras(config, weights)[0].kernel)).toEqual([20, 10, 30]);
  });

  it('groups a flat getWeights() list per layer-direction', () => {
    const config: RecurrentConfig = { cell: 'gru', inputSize: 2, hiddenSize: 2, bidirectional: true };
    const keras = toKeras(config, initWeights(config));
    const flat = keras.flatMap((e) => [e.kernel, e.recurrentKernel, e.bias!]);
    expect(groupKerasWeights(config, flat)).toEqual(keras);
    expect(() => groupKerasWeights(config, flat.slice(1))).toThrow(/expected an array of 6 arrays/);
  });

  it('names the layer-direction, tensor, expected shape and received size on a wrong size', () => {
    const config: RecurrentConfig = { cell: 'lstm', inputSize: 3, hiddenSize: 2, bidirectional: true };
    const keras = toKeras(config, initWeights(config));
    const broken = [keras[0], { ...keras[1], recurrentKernel: new Float32Array(7) }];
    expect(() => fromKeras(config, broken)).toThrow(GatedError);
    expect(() => fromKeras(config, broken)).toThrow(
      'layers[1] (layer 0 backward).recurrentKernel: expected shape [2, 8] (16 values), received 7 values',
    );
  });

  it('rejects a GRU resetAfter bias of the single-bias shape', () => {
    const config: RecurrentConfig = { cell: 'gru', inputSize: 2, hiddenSize: 2 };
    const [entry] = toKeras(config, initWeights(config));
    expect(() => fromKeras(config, [{ ...entry, bias: entry.bias!.slice(0, 6) }])).toThrow(
      /bias: expected shape \[2, 6\]/,
    );
  });

  it('rejects a missing bias, an unexpected bias and a wrong number of layers', () => {
    const config: RecurrentConfig = { cell: 'rnn', inputSize: 2, hiddenSize: 2 };
    const [entry] = toKeras(config, initWeights(config));
    expect(() =>
      fromKeras(config, [{ kernel: entry.kernel, recurrentKernel: entry.recurrentKernel }]),
    ).toThrow(/layers\[0\] \(layer 0\)\.bias: expected a Float32Array of shape \[2\], received undefined/);
    expect(() => fromKeras({ ...config, bias: false }, [entry])).toThrow(
      /bias: expected no tensor \(config.bias is false\)/,
    );
    expect(() => fromKeras(config, [entry, entry])).toThrow(
      /layers: expected an array of 1 layer-direction entries/,
    );
  });

  it('names the gated tensor when converting wrongly sized weights to Keras', () => {
    const config: RecurrentConfig = { cell: 'gru', inputSize: 2, hiddenSize: 2 };
    const weights = { ...initWeights(config), bias_hh_l0: new Float32Array(5) };
    expect(() => toKeras(config, weights)).toThrow(
      'weights.bias_hh_l0: expected shape [6] (6 values), received 5 values',
    );
  });

  it('refuses what Keras layers cannot store: projection and peepholes', () => {
    const projected: RecurrentConfig = { cell: 'lstm', inputSize: 2, hiddenSize: 3, projSize: 2 };
    expect(() => toKeras(projected, initWeights(projected))).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED' }),
    );
    const peephole: RecurrentConfig = { cell: 'lstm', inputSize: 2, hiddenSize: 3, peephole: true };
    expect(() => fromKeras(peephole, [])).toThrow(/config.peephole: Keras weights need peephole false/);
  });
});
