import type { ActivationName, ActivationSpec } from '@gated/core';
import { F32_MAX_DECLARATION, f32Literal } from './wgsl-literals.js';

/** The body of each activation in WGSL, given α and β as literals. Bounded activations clamp an
 * infinite pre-activation to ±F32_MAX first and so reach their limit there (σ → 1 / 0, tanh and
 * softsign → ±1, ...), as the float64 reference does; exp is only taken of non-positive numbers
 * and tanh of [-10, 10] (beyond which tanh rounds to ±1 in f32): WGSL's exp and tanh of large
 * |x| give Inf or NaN on some drivers (gpuweb#4458). */
const BODIES: Readonly<Record<ActivationName, (alpha: string, beta: string) => string>> = {
  sigmoid: () =>
    'let v = clamp(x, -F32_MAX, F32_MAX); let e = exp(-abs(v)); return select(e / (1.0 + e), 1.0 / (1.0 + e), v >= 0.0);',
  tanh: () => 'return tanh(clamp(x, -10.0, 10.0));',
  relu: () => 'return max(x, 0.0);',
  hardSigmoid: (a, b) => `return clamp(${a} * clamp(x, -F32_MAX, F32_MAX) + ${b}, 0.0, 1.0);`,
  leakyRelu: (a) => `return select(${a} * x, x, x >= 0.0);`,
  thresholdedRelu: (a) => `return select(0.0, x, x > ${a});`,
  scaledTanh: (a, b) => `return ${a} * tanh(clamp(${b} * clamp(x, -F32_MAX, F32_MAX), -10.0, 10.0));`,
  affine: (a, b) => `return ${a} * x + ${b};`,
  elu: (a) => `return select(${a} * (exp(min(x, 0.0)) - 1.0), x, x >= 0.0);`,
  softsign: () => 'let v = clamp(x, -F32_MAX, F32_MAX); return v / (1.0 + abs(v));',
  softplus: () => 'return max(x, 0.0) + log(1.0 + exp(-abs(x)));',
};

/** `fn <name>(x: f32) -> f32` computing the activation `spec`. */
export function activationFunction(name: string, spec: ActivationSpec): string {
  return `fn ${name}(x: f32) -> f32 { ${BODIES[spec.name](f32Literal(spec.alpha), f32Literal(spec.beta))} }`;
}

/** A stable key of an activation, for pipeline cache keys. */
export function activationKey(spec: ActivationSpec): string {
  return `${spec.name}(${Math.fround(spec.alpha)},${Math.fround(spec.beta)})`;
}

export { F32_MAX_DECLARATION };
