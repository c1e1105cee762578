import { describe, expect, it } from 'vitest';
import { GatedError } from './errors.js';
import { initWeights, validateWeights, weightShapes } from './weights.js';

function weightsError(fn: () => void): GatedError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatedError) return error;
    throw error;
  }
  throw new Error('expected a GatedError');
}

describe('weightShapes', () => {
  it('lists PyTorch state_dict names and shapes for a stacked bidirectional LSTM with projection', () => {
    const shapes = weightShapes({
      cell: 'lstm',
      inputSize: 3,
      hiddenSize: 5,
      numLayers: 2,
      bidirectional: true,
      projSize: 2,
    });
    expect(shapes.weight_ih_l0).toEqual([20, 3]);
    expect(shapes.weight_hh_l0).toEqual([20, 2]);
    expect(shapes.weight_hr_l0).toEqual([2, 5]);
    expect(shapes.weight_ih_l1_reverse).toEqual([20, 4]);
    expect(shapes.bias_hh_l1_reverse).toEqual([20]);
    expect(Object.keys(shapes)).toHaveLength(20);
  });

  it('has no bias tensors without bias and a peephole tensor with peepholes', () => {
    const shapes = weightShapes({ cell: 'lstm', inputSize: 2, hiddenSize: 3, bias: false, peephole: true });
    expect(Object.keys(shapes)).toEqual(['weight_ih_l0', 'weight_hh_l0', 'weight_ph_l0']);
    expect(shapes.weight_ph_l0).toEqual([9]);
  });

  it('uses 3 gates for a GRU and 1 for an RNN', () => {
    expect(weightShapes({ cell: 'gru', inputSize: 2, hiddenSize: 3 }).weight_ih_l0).toEqual([9, 2]);
    expect(weightShapes({ cell: 'rnn', inputSize: 2, hiddenSize: 3 }).weight_hh_l0).toEqual([3, 3]);
  });
});

describe('initWeights', () => {
  const config = { cell: 'gru', inputSize: 4, hiddenSize: 16 } as const;

  it('is deterministic for a seed and differs between seeds', () => {
    expect(initWeights(config, { seed: 1 })).toEqual(initWeights(config, { seed: 1 }));
    expect(initWeights(config, { seed: 1 }).weight_ih_l0).not.toEqual(
      initWeights(config, { seed: 2 }).weight_ih_l0,
    );
  });

  it('draws from U(-1/sqrt(H), 1/sqrt(H)) and passes validation', () => {
    const w = initWeights(config, { seed: 3 });
    const all = Object.values(w).flatMap((a) => [...a]);
    expect(Math.max(...all.map(Math.abs))).toBeLessThanOrEqual(0.25);
    expect(Math.max(...all)).toBeGreaterThan(0.2);
    expect(() => validateWeights(config, w)).not.toThrow();
  });
});

describe('validateWeights', () => {
  const config = { cell: 'lstm', inputSize: 2, hiddenSize: 3 } as const;

  it('names a missing tensor', () => {
    const { bias_hh_l0: _, ...rest } = initWeights(config);
    const error = weightsError(() => validateWeights(config, rest));
    expect(error.code).toBe('INVALID_WEIGHTS');
    expect(error.message).toContain('weights.bias_hh_l0');
    expect(error.message).toContain('missing');
  });

  it('names an extra tensor', () => {
    const error = weightsError(() =>
      validateWeights(config, { ...initWeights(config), weight_ih_l1: new Float32Array(1) }),
    );
    expect(error.code).toBe('INVALID_WEIGHTS');
    expect(error.message).toContain('weights.weight_ih_l1');
  });

  it('names a wrongly sized tensor with the expected shape and the received length', () => {
    const error = weightsError(() =>
      validateWeights(config, { ...initWeights(config), weight_hh_l0: new Float32Array(35) }),
    );
    expect(error.message).toContain('weights.weight_hh_l0');
    expect(error.message).toContain('[12, 3]');
    expect(error.message).toContain('35');
  });

  it('names a non-finite value and its index', () => {
    const w = initWeights(config);
    const bad = w.bias_ih_l0.slice();
    bad[7] = Number.NaN;
    const error = weightsError(() => validateWeights(config, { ...w, bias_ih_l0: bad }));
    expect(error.code).toBe('INVALID_WEIGHTS');
    expect(error.message).toContain('weights.bias_ih_l0');
    expect(error.message).toContain('index 7');
  });

  it('rejects a tensor that is not a Float32Array', () => {
    const w = initWeights(config);
    const error = weightsError(() =>
      validateWeights(config, { ...w, bias_ih_l0: [...w.bias_ih_l0] as unknown as Float32Array }),
    );
    expect(error.message).toContain('Float32Array');
  });
});

describe('wrong weight sizes', () => {
  const config = { cell: 'lstm', inputSize: 64, hiddenSize: 256 } as const;
  const message = (name: string, length: number) => {
    const weights = { ...initWeights(config), [name]: new Float32Array(length) };
    try {
      validateWeights(config, weights);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('expected INVALID_WEIGHTS');
  };

  it('say which dimension could disagree and the size the length implies', () => {
    expect(message('weight_ih_l0', 1024 * 32)).toContain(
      '[1024, 32] if inputSize is 32, or [512, 64] if hiddenSize is 128',
    );
    expect(message('weight_hh_l0', 512 * 128)).toContain('[512, 128] if hiddenSize is 128');
    expect(message('weight_hh_l0', 512 * 128)).not.toContain('[256, 256]');
    expect(message('weight_ih_l0', 768 * 64)).toContain('[768, 64] with the 3 gate blocks of a GRU');
    expect(message('bias_ih_l0', 2048)).toContain('both biases in one tensor');
    expect(message('weight_ih_l0', 7)).toMatch(/received 7 values$/);
  });
});
