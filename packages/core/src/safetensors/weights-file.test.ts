import { runInNewContext } from 'node:vm';
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

describe('weights from safetensors bytes in any container', () => {
  const weights = initWeights(config, { seed: 4 });
  const file = weightsToSafetensors(config, weights);

  it('reads an ArrayBuffer, a DataView, a Buffer and a Uint8Array of another realm (was a TypeError)', () => {
    const foreign = runInNewContext('new Uint8Array(length)', { length: file.length }) as Uint8Array;
    foreign.set(file);
    const containers = [
      file.slice().buffer,
      new DataView(file.buffer, file.byteOffset, file.byteLength),
      Buffer.from(file),
      foreign,
    ];
    for (const container of containers) {
      expect(weightsFromSafetensors(config, container)).toEqual(weights);
      expect(Object.keys(readSafetensors(container).tensors)).toContain('weight_ih_l0');
    }
  });

  it('quotes at most a short prefix of a huge tensor name from the file', () => {
    const name = 'w'.repeat(900_000);
    const bad = writeSafetensors({ [name]: { data: new Float32Array(1), shape: [1] } });
    const prefixed = () => weightsFromSafetensors(config, bad, { prefix: name });
    expect(prefixed).toThrow(expect.objectContaining({ code: 'INVALID_WEIGHTS' }));
    try {
      prefixed();
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(300);
    }
  });
});
