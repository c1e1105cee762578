import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_NAMES,
  type ActivationName,
  activationDerivative,
  activationFunction,
  normalizeActivation,
  sigmoid,
} from './activations.js';

describe('activations', () => {
  it('has the 11 ONNX activations', () => {
    expect(ACTIVATION_NAMES).toHaveLength(11);
  });

  it('computes sigmoid without overflow at ±1e30', () => {
    expect(sigmoid(1e30)).toBe(1);
    expect(sigmoid(-1e30)).toBe(0);
    expect(sigmoid(0)).toBe(0.5);
  });

  it('is finite for every activation at ±1e3 except the unbounded linear ones', () => {
    for (const name of ACTIVATION_NAMES) {
      const f = activationFunction(normalizeActivation(name, 'a'));
      expect(Number.isFinite(f(1e3)), name).toBe(true);
      expect(Number.isFinite(f(-1e3)), name).toBe(true);
    }
  });

  it('applies alpha and beta', () => {
    expect(activationFunction(normalizeActivation({ name: 'affine', alpha: 2, beta: 1 }, 'a'))(3)).toBe(7);
    expect(activationFunction(normalizeActivation('hardSigmoid', 'a'))(1)).toBeCloseTo(0.7, 12);
    expect(activationFunction(normalizeActivation('thresholdedRelu', 'a'))(0.5)).toBe(0);
    expect(activationFunction(normalizeActivation('softplus', 'a'))(0)).toBeCloseTo(Math.LN2, 12);
  });
});

describe('activations at ±Infinity (f32 sums beyond the f32 range)', () => {
  const limits: Record<ActivationName, [number, number]> = {
    sigmoid: [0, 1],
    tanh: [-1, 1],
    relu: [0, Number.POSITIVE_INFINITY],
    hardSigmoid: [0, 1],
    leakyRelu: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
    thresholdedRelu: [0, Number.POSITIVE_INFINITY],
    scaledTanh: [-1, 1],
    affine: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
    elu: [-1, Number.POSITIVE_INFINITY],
    softsign: [-1, 1],
    softplus: [0, Number.POSITIVE_INFINITY],
  };
  it.each(ACTIVATION_NAMES)('%s gives its limit, never NaN', (name) => {
    const f = activationFunction(normalizeActivation(name, 'test'));
    const [low, high] = limits[name];
    expect(Math.fround(f(Number.NEGATIVE_INFINITY))).toBe(low);
    expect(Math.fround(f(Number.POSITIVE_INFINITY))).toBe(high);
  });
});

describe('activationDerivative', () => {
  const specs = ACTIVATION_NAMES.map((name) =>
    normalizeActivation(
      name === 'hardSigmoid' || name === 'scaledTanh' || name === 'elu' || name === 'leakyRelu'
        ? { name, alpha: 0.7, beta: 0.3 }
        : name,
      'test',
    ),
  );
  it.each(specs.map((s) => [s.name, s] as const))(
    '%s agrees with central differences away from kinks',
    (_, spec) => {
      const f = activationFunction(spec);
      const df = activationDerivative(spec);
      for (let x = -6.05; x <= 6; x += 0.1) {
        const h = 1e-6;
        const numeric = (f(x + h) - f(x - h)) / (2 * h);
        expect(Math.abs(df(x, f(x)) - numeric), `${spec.name} at ${x}`).toBeLessThan(1e-8);
      }
    },
  );

  it("takes PyTorch's one-sided value at each kink", () => {
    const at = (name: ActivationName, x: number, params: { alpha?: number; beta?: number } = {}) => {
      const spec = normalizeActivation({ name, ...params }, 'test');
      return activationDerivative(spec)(x, activationFunction(spec)(x));
    };
    expect(at('relu', 0)).toBe(0);
    expect(at('leakyRelu', 0)).toBe(0.01);
    expect(at('elu', 0, { alpha: 2 })).toBe(2);
    expect(at('hardSigmoid', -2.5)).toBe(0); // αx + β = 0
    expect(at('hardSigmoid', 2.5)).toBe(0); // αx + β = 1
  });

  it('is 0 (never NaN) for saturating activations at ±Infinity', () => {
    for (const name of ['sigmoid', 'tanh', 'softsign', 'scaledTanh', 'hardSigmoid'] as const) {
      const spec = normalizeActivation(name, 'test');
      const f = activationFunction(spec);
      const df = activationDerivative(spec);
      for (const x of [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]) expect(df(x, f(x)), name).toBe(0);
    }
  });
});
