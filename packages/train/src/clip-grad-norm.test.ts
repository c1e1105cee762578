import { describe, expect, it } from 'vitest';
import { clipGradNorm } from './clip-grad-norm.js';
import { maxRelativeDifference, readFixture } from './fixtures.test-helper.js';

interface ClipCase {
  maxNorm: number;
  normType: number | 'inf';
  gradients: number[][];
  norm: number;
  clipped: number[][];
}

const { clip } = readFixture<{ clip: ClipCase[] }>('optimizers.json');

describe('clipGradNorm', () => {
  for (const c of clip) {
    it(`returns the norm and scales like torch.nn.utils.clip_grad_norm_ (max ${c.maxNorm}, norm ${c.normType})`, () => {
      const gradients = Object.fromEntries(c.gradients.map((g, k) => [`p${k}`, Float32Array.from(g)]));
      const norm = clipGradNorm(gradients, c.maxNorm, c.normType === 'inf' ? Infinity : c.normType);
      expect(Math.abs(norm - c.norm) / c.norm).toBeLessThan(1e-6);
      c.clipped.forEach((expected, k) => {
        expect(maxRelativeDifference(gradients[`p${k}`], expected)).toBeLessThan(1e-6);
      });
    });
  }

  it('brings a large global norm down to maxNorm and leaves a small one as it is', () => {
    const big = { a: Float32Array.of(3, 0), b: Float32Array.of(4) };
    expect(clipGradNorm(big, 1)).toBeCloseTo(5, 6);
    expect(Math.hypot(big.a[0], big.a[1], big.b[0])).toBeCloseTo(1, 5);
    const small = { a: Float32Array.of(0.3, 0.4) };
    clipGradNorm(small, 1);
    expect(Array.from(small.a)).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });
});
