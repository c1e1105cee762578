import { initWeights, isGatedError, normalizeConfig, type RecurrentConfig } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { exportOnnx, importOnnx } from './index.js';

const CONFIGS: RecurrentConfig[] = [
  { cell: 'lstm', inputSize: 3, hiddenSize: 4 },
  { cell: 'lstm', inputSize: 5, hiddenSize: 3, numLayers: 3, bidirectional: true },
  {
    cell: 'lstm',
    inputSize: 2,
    hiddenSize: 3,
    peephole: true,
    coupledInputForget: true,
    clip: 1.5,
    bias: false,
  },
  { cell: 'lstm', inputSize: 2, hiddenSize: 3, numLayers: 2, batchFirst: true, peephole: true },
  {
    cell: 'lstm',
    inputSize: 2,
    hiddenSize: 3,
    bidirectional: true,
    activations: {
      gate: { name: 'hardSigmoid', alpha: 0.25, beta: 0.375 },
      candidate: 'softsign',
      cell: { name: 'scaledTanh', alpha: 1.5, beta: 0.5 },
    },
  },
  { cell: 'gru', inputSize: 3, hiddenSize: 4, numLayers: 2 },
  { cell: 'gru', inputSize: 3, hiddenSize: 4, resetAfter: false, bidirectional: true, clip: 3 },
  {
    cell: 'gru',
    inputSize: 3,
    hiddenSize: 2,
    activations: { gate: { name: 'leakyRelu', alpha: 0.125 }, candidate: 'elu' },
  },
  { cell: 'rnn', inputSize: 3, hiddenSize: 4, nonlinearity: 'relu', numLayers: 2, bidirectional: true },
  {
    cell: 'rnn',
    inputSize: 3,
    hiddenSize: 4,
    activations: { candidate: { name: 'affine', alpha: 0.5, beta: -0.25 } },
  },
];

describe('exportOnnx → importOnnx', () => {
  for (const [index, config] of CONFIGS.entries()) {
    it(`round-trips config ${index} (${config.cell}) with bit-exact weights`, () => {
      const weights = initWeights(config, { seed: index + 1 });
      const imported = importOnnx(exportOnnx(config, weights));
      expect(normalizeConfig(imported.config)).toEqual(normalizeConfig(config));
      expect(Object.keys(imported.weights).sort()).toEqual(Object.keys(weights).sort());
      for (const [name, values] of Object.entries(weights))
        expect(imported.weights[name], name).toEqual(values);
    });
  }

  it('round-trips with the optional graph inputs and other opsets', () => {
    const config: RecurrentConfig = { cell: 'lstm', inputSize: 2, hiddenSize: 3, numLayers: 2 };
    const weights = initWeights(config);
    for (const opset of [10, 13, 14, 21]) {
      const bytes = exportOnnx(config, weights, { opset, initialState: true, sequenceLens: true });
      expect(importOnnx(bytes).weights).toEqual(weights);
    }
  });

  it('refuses projection, which the ONNX LSTM cannot hold', () => {
    const config: RecurrentConfig = { cell: 'lstm', inputSize: 2, hiddenSize: 4, projSize: 2 };
    let error: unknown;
    try {
      exportOnnx(config, initWeights(config));
    } catch (e) {
      error = e;
    }
    expect(isGatedError(error, 'UNSUPPORTED')).toBe(true);
    expect((error as Error).message).toMatch(/projSize/);
  });

  it('refuses an opset outside 10 to 21', () => {
    const config: RecurrentConfig = { cell: 'gru', inputSize: 2, hiddenSize: 2 };
    expect(() => exportOnnx(config, initWeights(config), { opset: 7 })).toThrow(/options.opset/);
  });

  it('checks the weights before writing anything', () => {
    const config: RecurrentConfig = { cell: 'gru', inputSize: 2, hiddenSize: 2 };
    const weights = { ...initWeights(config), bias_hh_l0: new Float32Array(1) };
    expect(() => exportOnnx(config, weights)).toThrow(/bias_hh_l0/);
  });
});
