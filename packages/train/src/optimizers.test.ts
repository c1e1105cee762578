import { describe, expect, it } from 'vitest';
import { adam, adamW } from './adam.js';
import { maxRelativeDifference, readFixture } from './fixtures.test-helper.js';
import type { Optimizer } from './optimizer.js';
import { sgd } from './sgd.js';

interface OptimizerCase {
  optimizer: 'sgd' | 'adam' | 'adamW';
  options: Record<string, unknown>;
  initial: Record<string, number[]>;
  steps: { gradients: Record<string, number[]>; parameters: Record<string, number[]> }[];
}

const { optimizers } = readFixture<{ optimizers: OptimizerCase[] }>('optimizers.json');
const make = { sgd, adam, adamW } as Record<string, (options: never) => Optimizer>;

describe('optimizers take the same steps as torch.optim on fixed numbers', () => {
  for (const c of optimizers) {
    it(`${c.optimizer} ${JSON.stringify(c.options)} matches PyTorch over 4 steps`, () => {
      const optimizer = make[c.optimizer](c.options as never);
      const parameters = Object.fromEntries(
        Object.entries(c.initial).map(([n, v]) => [n, Float32Array.from(v)]),
      );
      for (const step of c.steps) {
        const gradients = Object.fromEntries(
          Object.entries(step.gradients).map(([n, v]) => [n, Float32Array.from(v)]),
        );
        optimizer.step(parameters, gradients);
        for (const name of Object.keys(parameters)) {
          // f32 storage in both; the ops differ by rounding only (PyTorch rounds each tensor op
          // to f32, gated each element's update once): observed ≤ 6e-8, a few f32 ulps allowed.
          expect(maxRelativeDifference(parameters[name], step.parameters[name])).toBeLessThan(2.5e-7);
        }
      }
    });
  }
});

describe('optimizer rules', () => {
  it('leaves a parameter without a gradient unchanged', () => {
    const parameters = { a: Float32Array.of(1, 2), b: Float32Array.of(3) };
    adam({ lr: 0.1 }).step(parameters, { a: Float32Array.of(1, 1) });
    expect(Array.from(parameters.b)).toEqual([3]);
    expect(parameters.a[0]).not.toBe(1);
  });

  it('follows a learning rate changed between steps', () => {
    const p = { w: Float32Array.of(1) };
    const optimizer = sgd({ lr: 0.1 });
    optimizer.step(p, { w: Float32Array.of(1) });
    optimizer.lr = 0.5;
    optimizer.step(p, { w: Float32Array.of(1) });
    expect(p.w[0]).toBeCloseTo(1 - 0.1 - 0.5, 6);
  });

  it('refuses a gradient of another size or without a parameter, naming it', () => {
    expect(() => sgd({ lr: 1 }).step({ a: new Float32Array(2) }, { a: new Float32Array(3) })).toThrow(
      /gradients\.a/,
    );
    expect(() => sgd({ lr: 1 }).step({ a: new Float32Array(2) }, { b: new Float32Array(2) })).toThrow(
      /gradients\.b/,
    );
  });

  it('refuses nesterov without momentum, as PyTorch does', () => {
    expect(() => sgd({ lr: 1, nesterov: true })).toThrow(/nesterov/);
  });

  it('uses PyTorch defaults: Adam without weight decay, AdamW with 1e-2 decoupled', () => {
    // Zero gradient: Adam moves nothing; AdamW shrinks p by lr·wd = 1e-3·1e-2.
    const a = { w: Float32Array.of(2) };
    const w = { w: Float32Array.of(2) };
    adam().step(a, { w: Float32Array.of(0) });
    adamW().step(w, { w: Float32Array.of(0) });
    expect(a.w[0]).toBe(2);
    expect(w.w[0]).toBeCloseTo(2 * (1 - 1e-5), 7);
  });
});
