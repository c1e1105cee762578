import { describe, expect, it } from 'vitest';
import type { RecurrentConfig } from '../config.js';
import { initWeights, weightShapes } from '../weights.js';
import { fromOnnx, toOnnx } from './onnx.js';

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

const CONFIGS: RecurrentConfig[] = [
  { cell: 'lstm', inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true },
  { cell: 'lstm', inputSize: 4, hiddenSize: 3, peephole: true, bidirectional: true },
  { cell: 'lstm', inputSize: 2, hiddenSize: 2, bias: false },
  { cell: 'gru', inputSize: 4, hiddenSize: 3, numLayers: 3 },
  { cell: 'gru', inputSize: 4, hiddenSize: 3, resetAfter: false, bidirectional: true },
  { cell: 'rnn', inputSize: 2, hiddenSize: 6, numLayers: 2, bidirectional: true, nonlinearity: 'relu' },
];

function allLayersFromOnnx(config: RecurrentConfig, weights: ReturnType<typeof initWeights>) {
  const layers = Array.from({ length: config.numLayers ?? 1 }, (_, layer) =>
    fromOnnx(config, layer, toOnnx(config, weights, layer)),
  );
  return Object.assign({}, ...layers) as Record<string, Float32Array>;
}

describe('ONNX converter', () => {
  it.each(CONFIGS)('round-trips $cell weights gated → ONNX → gated bit-identically (%#)', (config) => {
    const weights = initWeights(config, { seed: 9 });
    const back = allLayersFromOnnx(config, weights);
    expect(Object.keys(back).sort()).toEqual(Object.keys(weights).sort());
    for (const name of Object.keys(weights)) expect(bits(back[name]), name).toEqual(bits(weights[name]));
  });

  it('lays out W, R and B as [D, G·H, ·] with LSTM gate rows i, o, f, c', () => {
    const config: RecurrentConfig = { cell: 'lstm', inputSize: 1, hiddenSize: 1, bidirectional: true };
    const weights = {
      ...initWeights(config),
      weight_ih_l0: Float32Array.of(1, 2, 3, 4), // i f g o
      weight_ih_l0_reverse: Float32Array.of(5, 6, 7, 8),
      bias_ih_l0: Float32Array.of(11, 12, 13, 14),
      bias_hh_l0: Float32Array.of(21, 22, 23, 24),
    };
    const node = toOnnx(config, weights, 0);
    expect(Array.from(node.W)).toEqual([1, 4, 2, 3, 5, 8, 6, 7]);
    expect(Array.from(node.B!.subarray(0, 8))).toEqual([11, 14, 12, 13, 21, 24, 22, 23]);
    expect(node.P).toBeUndefined();
  });

  it('orders GRU gate rows z, r, h and peepholes i, o, f', () => {
    const gru: RecurrentConfig = { cell: 'gru', inputSize: 1, hiddenSize: 1 };
    expect(
      Array.from(toOnnx(gru, { ...initWeights(gru), weight_hh_l0: Float32Array.of(1, 2, 3) }, 0).R),
    ).toEqual([2, 1, 3]);
    const lstm: RecurrentConfig = { cell: 'lstm', inputSize: 1, hiddenSize: 1, peephole: true };
    expect(
      Array.from(toOnnx(lstm, { ...initWeights(lstm), weight_ph_l0: Float32Array.of(1, 2, 3) }, 0).P!),
    ).toEqual([1, 3, 2]);
  });

  it('reads a missing B or P as zeros, as ONNX does', () => {
    const config: RecurrentConfig = { cell: 'lstm', inputSize: 2, hiddenSize: 2, peephole: true };
    const { W, R } = toOnnx(config, initWeights(config), 0);
    const weights = fromOnnx(config, 0, { W, R });
    expect(Object.keys(weights).sort()).toEqual(Object.keys(weightShapes(config)).sort());
    expect(weights.bias_ih_l0.every((v) => v === 0) && weights.weight_ph_l0.every((v) => v === 0)).toBe(true);
  });

  it('names the ONNX tensor, expected shape and received size on a wrong size', () => {
    const config: RecurrentConfig = { cell: 'gru', inputSize: 3, hiddenSize: 2, bidirectional: true };
    const node = toOnnx(config, initWeights(config), 0);
    expect(() => fromOnnx(config, 0, { ...node, R: new Float32Array(23) })).toThrow(
      'R: expected shape [2, 6, 2] (24 values), received 23 values',
    );
    expect(() => fromOnnx(config, 0, { ...node, B: new Float32Array(12) })).toThrow(
      /B: expected shape \[2, 12\]/,
    );
    expect(() => fromOnnx({ ...config, bias: false }, 0, node)).toThrow(
      /B: expected no tensor \(config.bias is false\)/,
    );
  });

  it('names the gated tensor and rejects a layer index outside the config', () => {
    const config: RecurrentConfig = { cell: 'rnn', inputSize: 3, hiddenSize: 2, numLayers: 2 };
    const weights = initWeights(config);
    expect(() => toOnnx(config, { ...weights, weight_ih_l1: new Float32Array(3) }, 1)).toThrow(
      'weights.weight_ih_l1: expected shape [2, 2] (4 values), received 3 values',
    );
    expect(() => toOnnx(config, weights, 2)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('refuses an LSTM projection, which ONNX LSTM cannot store', () => {
    const config: RecurrentConfig = { cell: 'lstm', inputSize: 2, hiddenSize: 3, projSize: 1 };
    expect(() => toOnnx(config, initWeights(config), 0)).toThrow(
      /config.projSize: ONNX weights need projSize 0/,
    );
  });
});
