import { type ActivationSpec, activationFunction } from '@gated/core';

export type ActivationFunction = (x: number) => number;

/** f'(x) from the pre-activation x and the value y = f(x) (core's `activationDerivative`). */
export type ActivationDerivative = (x: number, y: number) => number;

/** Logistic sigmoid without overflow: exp is only taken of a non-positive number, so ±1e30
 * gives exactly 1 and 0, never NaN. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Math.tanh saturates to ±1 without overflow for every finite input. */
export const tanh: ActivationFunction = Math.tanh;

/** The activation function of a spec, chosen once at pack time: the step loops call it
 * without inspecting names. sigmoid and tanh are this module's exact versions; the others are
 * core's, which give their limit at ±Infinity (an f32 sum beyond the f32 range). */
export function selectActivation(spec: ActivationSpec): ActivationFunction {
  if (spec.name === 'sigmoid') return sigmoid;
  if (spec.name === 'tanh') return tanh;
  return activationFunction(spec);
}

/** Clamps a pre-activation to [-bound, bound]; bound = Infinity when the config has no clip. */
export function clamp(x: number, bound: number): number {
  return Math.min(bound, Math.max(-bound, x));
}
