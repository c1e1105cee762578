import { type Tensor, tensor } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from './cross-entropy.js';
import { readFixture } from './fixtures.test-helper.js';
import { meanSquaredError } from './mean-squared-error.js';

interface LossFixture {
  crossEntropy: { logits: Tensor; targets: number[]; loss: number };
  meanSquaredError: { predictions: Tensor; targets: Tensor; loss: number };
}
const { losses } = readFixture<{ losses: LossFixture }>('optimizers.json');

/** Central finite differences of f at x (float64 evaluation of the loss). */
function finiteDifferences(x: Tensor, f: (x: Tensor) => number, h = 1e-3): Float64Array {
  const out = new Float64Array(x.data.length);
  for (let k = 0; k < x.data.length; k++) {
    const plus = Float32Array.from(x.data);
    const minus = Float32Array.from(x.data);
    plus[k] += h;
    minus[k] -= h;
    out[k] = (f(tensor(plus, x.shape)) - f(tensor(minus, x.shape))) / (plus[k] - minus[k]);
  }
  return out;
}

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]));
  return m;
}

describe('crossEntropy', () => {
  const { logits, targets, loss } = losses.crossEntropy;
  const x = tensor(logits.data, logits.shape);

  it("equals PyTorch's F.cross_entropy with ignore_index −100", () => {
    const result = crossEntropy(x, targets);
    expect(Math.abs(result.loss - loss)).toBeLessThan(1e-6);
    expect(result.count).toBe(11);
  });

  it('has the gradient of its loss (central finite differences)', () => {
    const { gradient } = crossEntropy(x, targets);
    const fd = finiteDifferences(x, (l) => crossEntropy(l, targets).loss);
    expect(maxAbs(gradient.data, fd)).toBeLessThan(2e-5);
  });

  it('leaves masked rows out of loss and gradient, and counts the correct ones', () => {
    const l = tensor([2, 0, 0, 0, 3, 0, 0, 0, 5], [3, 3]);
    const all = crossEntropy(l, [0, 1, 0]);
    expect(all.correct).toBe(2);
    const masked = crossEntropy(l, [0, 1, 0], { mask: [1, 1, 0] });
    expect(masked.count).toBe(2);
    expect(masked.correct).toBe(2);
    expect(Array.from(masked.gradient.data.subarray(6))).toEqual([0, 0, 0]);
    expect(masked.loss).toBeCloseTo(crossEntropy(tensor(l.data.subarray(0, 6), [2, 3]), [0, 1]).loss, 12);
  });

  it('names a target outside the classes', () => {
    expect(() => crossEntropy(tensor([0, 0], [1, 2]), [2])).toThrow(/targets\[0\]/);
  });
});

describe('meanSquaredError', () => {
  const { predictions, targets, loss } = losses.meanSquaredError;
  const p = tensor(predictions.data, predictions.shape);
  const t = tensor(targets.data, targets.shape);

  it("equals PyTorch's F.mse_loss", () => {
    expect(Math.abs(meanSquaredError(p, t).loss - loss)).toBeLessThan(1e-7);
  });

  it('has the gradient of its loss (central finite differences)', () => {
    const fd = finiteDifferences(p, (q) => meanSquaredError(q, t).loss);
    expect(maxAbs(meanSquaredError(p, t).gradient.data, fd)).toBeLessThan(1e-5);
  });

  it('averages over the rows the mask keeps', () => {
    const masked = meanSquaredError(tensor([1, 1, 5, 5], [2, 2]), tensor([0, 0, 0, 0], [2, 2]), {
      mask: [1, 0],
    });
    expect(masked.loss).toBe(1);
    expect(Array.from(masked.gradient.data)).toEqual([1, 1, 0, 0]);
  });
});
