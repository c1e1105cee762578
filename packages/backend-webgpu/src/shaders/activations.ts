import type { ActivationName, ActivationSpec } from '@gated/core';
import { F32_MAX_DECLARATION, f32Literal } from './wgsl-literals.js';

/** exp and tanh without the driver's: WGSL allows exp an error of 3 + 2·|x| ulp and computes
 * tanh through exp, which overflows for |x| > ~88 on some drivers (gpuweb#4458) and cancels near
 * 0. `exp_neg` (x ≤ 0 only, so it never overflows) reduces x by n·ln 2 in two parts (Cody-Waite:
 * n·LN2_HI is exact) and takes a degree-7 polynomial on |r| ≤ ln 2 / 2; `tanh_safe` is an odd
 * polynomial below 0.55 and (1 − e)/(1 + e), e = exp(−2|x|), above (no cancellation there).
 * Both stay within a few ulp of the float64 value on every device. */
export const ACTIVATION_HELPERS = /* wgsl */ `
${F32_MAX_DECLARATION}
fn exp_neg(x: f32) -> f32 {
  let y = max(x, -104.0);
  let n = round(y * 1.44269504f);
  let r = (y - n * 0.693145752f) - n * 1.42860677e-6f;
  let p = 1.0 + r * (1.0 + r * (0.5 + r * (0.166666667f + r * (0.0416666667f
    + r * (0.00833333333f + r * (0.00138888889f + r * 0.000198412698f))))));
  return ldexp(p, i32(n));
}
fn tanh_safe(x: f32) -> f32 {
  let a = abs(x);
  let s = a * a;
  let small = a * (1.0 + s * (-0.333333333f + s * (0.133333333f + s * (-0.0539682540f + s * (0.0218694885f
    + s * (-0.00886323552f + s * (0.00359212803f + s * (-0.00145583438f + s * (0.000590027440f
    + s * -0.000239129114f)))))))));
  let e = exp_neg(-2.0 * min(a, 10.0));
  let t = select((1.0 - e) / (1.0 + e), small, a < 0.55);
  return select(-t, t, x >= 0.0);
}`;

/** The body of each activation in WGSL, given α and β as literals. Bounded activations clamp an
 * infinite pre-activation to ±F32_MAX first and so reach their limit there (σ → 1 / 0, tanh and
 * softsign → ±1, ...), as the float64 reference does; exp is only taken of non-positive numbers. */
const BODIES: Readonly<Record<ActivationName, (alpha: string, beta: string) => string>> = {
  sigmoid: () => 'let e = exp_neg(-abs(x)); return select(e / (1.0 + e), 1.0 / (1.0 + e), x >= 0.0);',
  tanh: () => 'return tanh_safe(x);',
  relu: () => 'return max(x, 0.0);',
  hardSigmoid: (a, b) => `return clamp(${a} * clamp(x, -F32_MAX, F32_MAX) + ${b}, 0.0, 1.0);`,
  leakyRelu: (a) => `return select(${a} * x, x, x >= 0.0);`,
  thresholdedRelu: (a) => `return select(0.0, x, x > ${a});`,
  scaledTanh: (a, b) => `return ${a} * tanh_safe(${b} * clamp(x, -F32_MAX, F32_MAX));`,
  affine: (a, b) => `return ${a} * x + ${b};`,
  elu: (a) => `return select(${a} * (exp_neg(min(x, 0.0)) - 1.0), x, x >= 0.0);`,
  softsign: () => 'let v = clamp(x, -F32_MAX, F32_MAX); return v / (1.0 + abs(v));',
  softplus: () => 'return max(x, 0.0) + log(1.0 + exp_neg(-abs(x)));',
};

/** `fn <name>(x: f32) -> f32` computing the activation `spec`. */
export function activationFunction(name: string, spec: ActivationSpec): string {
  return `fn ${name}(x: f32) -> f32 { ${BODIES[spec.name](f32Literal(spec.alpha), f32Literal(spec.beta))} }`;
}

/** A stable key of an activation, for pipeline cache keys. */
export function activationKey(spec: ActivationSpec): string {
  return `${spec.name}(${Math.fround(spec.alpha)},${Math.fround(spec.beta)})`;
}
