import { TOLERANCE_TABLE } from '@gated/conformance';
import { describeConformance } from '@gated/conformance/vitest';
import { expect, it } from 'vitest';
import { createWebGpuBackend } from './index.js';

/** f16 weights: each weight is rounded to f16 (relative error up to 2⁻¹¹ ≈ 4.9e-4) before f32
 * products and sums, so a pre-activation moves by up to 4.9e-4·Σ|w·x|; with inputs of |x| ≈ 50
 * that reaches 1e-2 before the activations squash it. The catalogue's worst case on SwiftShader is
 * 4.0e-3 (GRU, |x| ≈ 50); this bound leaves 2.5× room. */
const F16_TOLERANCE = {
  abs: 1e-2,
  rel: 1e-2,
  reason: 'weights stored as f16 (2^-11 relative rounding each), f32 arithmetic',
};

describeConformance('webgpu@f16', () => createWebGpuBackend({ weightFormat: 'f16' }), {
  tolerance: F16_TOLERANCE,
});

it("uses the tolerance the conformance CLI's table states for webgpu@f16", () => {
  expect(TOLERANCE_TABLE['webgpu@f16']).toMatchObject({ abs: F16_TOLERANCE.abs, rel: F16_TOLERANCE.rel });
});
