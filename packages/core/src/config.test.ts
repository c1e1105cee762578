import { describe, expect, it } from 'vitest';
import { MAX_LAYERS, MAX_WEIGHT_COUNT, normalizeConfig, outputSize, type RecurrentConfig } from './config.js';
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

  it.each([
    { cell: 'rnn', inputSize: 2, hiddenSize: 2, nonlinearity: 'relu' },
    { cell: 'gru', inputSize: 2, hiddenSize: 3, resetAfter: false, clip: 2 },
    {
      cell: 'lstm',
      inputSize: 2,
      hiddenSize: 4,
      projSize: 2,
      peephole: true,
      activations: { gate: { name: 'hardSigmoid', alpha: 0.3 } },
    },
  ] as RecurrentConfig[])('accepts its own output again, also after a JSON round trip (%j)', (config) => {
    const c = normalizeConfig(config);
    expect(normalizeConfig(c)).toEqual(c);
    expect(normalizeConfig(JSON.parse(JSON.stringify(c)))).toEqual(c);
  });

  it('returns a deeply frozen config', () => {
    const c = normalizeConfig({ cell: 'lstm', inputSize: 2, hiddenSize: 2 });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.activations)).toBe(true);
    expect(Object.isFrozen(c.activations.gate)).toBe(true);
    expect(() => {
      (c.activations.gate as { alpha: number }).alpha = Number.NaN;
    }).toThrow(TypeError);
  });

  it('validates a normalized-looking config again instead of trusting it', () => {
    const c = normalizeConfig({ cell: 'lstm', inputSize: 2, hiddenSize: 2 });
    const tampered = {
      ...c,
      activations: { ...c.activations, gate: { name: 'sigmoid', alpha: Number.NaN } },
    };
    expect(configError(tampered).message).toContain('config.activations.gate.alpha');
    const renamed = { ...c, activations: { ...c.activations, cell: 'relu6' } };
    expect(configError(renamed).message).toContain('config.activations.cell');
  });

  it('bounds numLayers and the total weight count before anything is allocated', () => {
    const started = performance.now();
    const deep = configError({ cell: 'lstm', inputSize: 1, hiddenSize: 1, numLayers: 2 ** 20 });
    expect(deep.message).toContain(`config.numLayers: expected an integer in [1, ${MAX_LAYERS}]`);
    const wide = configError({ cell: 'lstm', inputSize: 2 ** 20, hiddenSize: 2 ** 20 });
    expect(wide.message).toContain(`at most ${MAX_WEIGHT_COUNT} weight values`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(
      normalizeConfig({ cell: 'gru', inputSize: 1, hiddenSize: 1, numLayers: MAX_LAYERS }).numLayers,
    ).toBe(MAX_LAYERS);
  });

  it('suggests the field meant by an unknown one and quotes a long name only in part', () => {
    expect(configError({ cell: 'lstm', inputSize: 1, hiddenSize: 4, num_layers: 2 }).message).toContain(
      'did you mean numLayers?',
    );
    const long = configError({ cell: 'lstm', inputSize: 1, hiddenSize: 4, ['x'.repeat(900_000)]: 1 });
    expect(long.message.length).toBeLessThan(300);
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
