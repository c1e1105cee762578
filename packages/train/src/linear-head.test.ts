import { tensor } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { LinearHead } from './linear-head.js';

describe('LinearHead', () => {
  const head = LinearHead.init(3, 2, { seed: 5 });
  const x = tensor([0.5, -1, 2, 1.5, 0.25, -0.75, 0, 1, -2, 0.3, 0.6, 0.9], [2, 2, 3]);

  it('computes x·Wᵀ + b over the last axis', () => {
    const y = head.forward(x);
    expect(y.shape).toEqual([2, 2, 2]);
    const { weight: W, bias: b } = head;
    expect(y.data[3]).toBeCloseTo(b[1] + 1.5 * W[3] + 0.25 * W[4] - 0.75 * W[5], 6);
  });

  it("draws PyTorch's nn.Linear bounds, U(−1/√inputs, 1/√inputs)", () => {
    const big = LinearHead.init(16, 64, { seed: 1 });
    const all = [...big.weight, ...big.bias];
    expect(Math.max(...all.map(Math.abs))).toBeLessThanOrEqual(0.25);
    expect(Math.max(...all.map(Math.abs))).toBeGreaterThan(0.24);
  });

  it('has the gradients of Σ dy·y for weight, bias and x (finite differences)', () => {
    const dy = tensor([1, -2, 0.5, 0.25, -1, 3, 2, -0.5], [2, 2, 2]);
    const objective = (h: LinearHead, input = x) => {
      const y = h.forward(input);
      return y.data.reduce((s, v, k) => s + v * dy.data[k], 0);
    };
    const g = head.backward(x, dy);
    const eps = 1e-2;
    for (const [name, grad] of [
      ['weight', g.weight],
      ['bias', g.bias],
    ] as const) {
      for (let k = 0; k < grad.length; k++) {
        const plus = new LinearHead(3, 2, {
          weight: Float32Array.from(head.weight),
          bias: Float32Array.from(head.bias),
        });
        const minus = new LinearHead(3, 2, {
          weight: Float32Array.from(head.weight),
          bias: Float32Array.from(head.bias),
        });
        plus[name][k] += eps;
        minus[name][k] -= eps;
        expect(grad[k]).toBeCloseTo((objective(plus) - objective(minus)) / (2 * eps), 3);
      }
    }
    for (let k = 0; k < x.data.length; k++) {
      const plus = Float32Array.from(x.data);
      const minus = Float32Array.from(x.data);
      plus[k] += eps;
      minus[k] -= eps;
      const fd =
        (objective(head, tensor(plus, x.shape)) - objective(head, tensor(minus, x.shape))) / (2 * eps);
      expect(g.x.data[k]).toBeCloseTo(fd, 3);
    }
  });

  it('refuses an input whose last axis is not `inputs`', () => {
    expect(() => head.forward(tensor([1, 2], [1, 2]))).toThrow(/expected shape \[\.\.\., 3\]/);
  });
});
