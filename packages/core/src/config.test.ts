import { describe, expect, it } from 'vitest';
import { normalizeConfig, outputSize, type RecurrentConfig } from './config.js';
import { GatedError } from './errors.js';

function configError(config: unknown): GatedError {
  try {
    normalizeConfig(config as RecurrentConfig);
  } catch (error) {
    if (error instanceof GatedError) return error;
    throw error;
  }
  throw new Error('expected normalizeConfig to throw');
}

describe('normalizeConfig', () => {
  it('fills in the PyTorch defaults', () => {
    const c = normalizeConfig({ cell: 'lstm', inputSize: 3, hiddenSize: 5 });
    expect(c).toMatchObject({
      numLayers: 1,
      bidirectional: false,
      bias: true,
      batchFirst: false,
      projSize: 0,
      clip: null,
    });
    expect(c.activations.gate.name).toBe('sigmoid');
    expect(c.activations.candidate.name).toBe('tanh');
    expect(c.activations.cell.name).toBe('tanh');
    expect(normalizeConfig({ cell: 'gru', inputSize: 1, hiddenSize: 1 }).resetAfter).toBe(true);
  });

  it('uses the RNN nonlinearity as its activation', () => {
    const c = normalizeConfig({ cell: 'rnn', inputSize: 2, hiddenSize: 2, nonlinearity: 'relu' });
    expect(c.activations.candidate.name).toBe('relu');
  });

  it('fills in ONNX activation defaults and keeps given alpha/beta', () => {
    const c = normalizeConfig({
      cell: 'lstm',
      inputSize: 1,
      hiddenSize: 1,
      activations: { gate: 'hardSigmoid', candidate: { name: 'scaledTanh', alpha: 2 }, cell: 'leakyRelu' },
    });
    expect(c.activations.gate).toEqual({ name: 'hardSigmoid', alpha: 0.2, beta: 0.5 });
    expect(c.activations.candidate).toEqual({ name: 'scaledTanh', alpha: 2, beta: 1 });
    expect(c.activations.cell).toEqual({ name: 'leakyRelu', alpha: 0.01, beta: 0 });
  });

  it('is the identity on a config it already normalized', () => {
    const c = normalizeConfig({ cell: 'rnn', inputSize: 2, hiddenSize: 2 });
    expect(normalizeConfig(c)).toBe(c);
  });

  it('reports output size as projSize when projecting', () => {
    expect(outputSize(normalizeConfig({ cell: 'lstm', inputSize: 2, hiddenSize: 8, projSize: 3 }))).toBe(3);
  });

  it.each([
    [{ cell: 'lstmx', inputSize: 1, hiddenSize: 1 }, 'config.cell', 'lstmx'],
    [{ cell: 'lstm', inputSize: 0, hiddenSize: 1 }, 'config.inputSize', '0'],
    [{ cell: 'lstm', inputSize: 1, hiddenSize: 1.5 }, 'config.hiddenSize', '1.5'],
    [{ cell: 'lstm', inputSize: 1, hiddenSize: 4, numLayers: -1 }, 'config.numLayers', '-1'],
    [{ cell: 'lstm', inputSize: 1, hiddenSize: 4, projSize: 4 }, 'config.projSize', '4'],
    [{ cell: 'gru', inputSize: 1, hiddenSize: 4, projSize: 2 }, 'config.projSize', '2'],
    [{ cell: 'lstm', inputSize: 1, hiddenSize: 4, resetAfter: false }, 'config.resetAfter', 'false'],
    [{ cell: 'rnn', inputSize: 1, hiddenSize: 4, nonlinearity: 'sigmoid' }, 'config.nonlinearity', 'sigmoid'],
    [{ cell: 'lstm', inputSize: 1, hiddenSize: 4, clip: -1 }, 'config.clip', '-1'],
    [{ cell: 'lstm', inputSize: 1, hiddenSize: 4, bidirectional: 'yes' }, 'config.bidirectional', 'yes'],
    [
      { cell: 'lstm', inputSize: 1, hiddenSize: 4, activations: { gate: 'swish' } },
      'config.activations.gate',
      'swish',
    ],
    [
      { cell: 'rnn', inputSize: 1, hiddenSize: 4, activations: { gate: 'tanh' } },
      'config.activations.gate',
      'tanh',
    ],
    [{ cell: 'lstm', inputSize: 1, hiddenSize: 4, hidden_size: 4 }, 'config.hidden_size', '4'],
  ])('rejects %j as INVALID_CONFIG naming the field', (config, field, received) => {
    const error = configError(config);
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain(field);
    expect(error.message).toContain(received);
  });
});
