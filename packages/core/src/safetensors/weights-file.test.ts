import { describe, expect, it } from 'vitest';
import type { RecurrentConfig } from '../config.js';
import { initWeights, weightShapes } from '../weights.js';
import { readSafetensors } from './read.js';
import { weightsFromSafetensors, weightsToSafetensors } from './weights-file.js';
import { writeSafetensors } from './write.js';

const config: RecurrentConfig = { cell: 'gru', inputSize: 3, hiddenSize: 2, bidirectional: true };

describe('weights as safetensors', () => {
  it('round-trips weights with PyTorch names, shapes and a prefix', () => {
    const weights = initWeights(config, { seed: 1 });
    const file = weightsToSafetensors(config, weights, { prefix: 'rnn.', metadata: { format: 'pt' } });
    const read = readSafetensors(file);
    expect(read.tensors['rnn.weight_ih_l0_reverse'].shape).toEqual([6, 3]);
    expect(weightsFromSafetensors(config, file, { prefix: 'rnn.' })).toEqual(weights);
  });

  it('ignores tensors of other modules', () => {
    const weights = initWeights(config);
    const shapes = weightShapes(config);
    const tensors = Object.fromEntries(
      Object.entries(weights).map(([n, data]) => [n, { data, shape: shapes[n] }]),
    );
    const withHead = { ...tensors, 'fc.weight': { data: new Float32Array(4), shape: [2, 2] } };
    expect(weightsFromSafetensors(config, writeSafetensors(withHead))).toEqual(weights);
  });

  it('names a wrongly shaped tensor with the expected and received shape', () => {
    const weights = initWeights(config);
    const tensors = Object.fromEntries(
      Object.entries(weights).map(([n, data]) => [n, { data, shape: [data.length] }]),
    );
    expect(() => weightsFromSafetensors(config, writeSafetensors(tensors))).toThrow(
      'safetensors tensor "weight_ih_l0": expected shape [6, 3], received [18]',
    );
  });

  it('names a missing tensor with its prefix', () => {
    const file = weightsToSafetensors(config, initWeights(config));
    expect(() => weightsFromSafetensors(config, file, { prefix: 'gru.' })).toThrow(
      expect.objectContaining({
        code: 'INVALID_WEIGHTS',
        message: expect.stringContaining('"gru.weight_ih_l0"'),
      }),
    );
  });
});
