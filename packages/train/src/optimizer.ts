import { GatedError } from '@gated/core';

/** Parameters by name (e.g. `rnn.weight_ih_l0`, `head.weight`), updated in place. */
export type Parameters = Readonly<Record<string, Float32Array>>;

/** One update rule with its per-parameter state (momentum buffers, moments), keyed by name. */
export interface Optimizer {
  /** The learning rate; may be changed between steps (a schedule). */
  lr: number;
  /** Updates, in place, every parameter that has a gradient of the same length (a parameter
   * without one is left alone, like a PyTorch parameter whose `.grad` is None). */
  step(parameters: Parameters, gradients: Parameters): void;
}

/** The names of `gradients`, each checked against its parameter. */
export function pairedNames(parameters: Parameters, gradients: Parameters): string[] {
  const names = Object.keys(gradients);
  for (const name of names) {
    const p = parameters[name];
    const g = gradients[name];
    if (!(p instanceof Float32Array)) {
      throw new GatedError('INVALID_INPUT', `gradients.${name}: no parameter of that name`);
    }
    if (!(g instanceof Float32Array) || g.length !== p.length) {
      throw new GatedError(
        'INVALID_INPUT',
        `gradients.${name}: expected a Float32Array of ${p.length} values (the parameter's size), received ${g?.length}`,
      );
    }
  }
  return names;
}

export function checkHyperparameter(name: string, value: number, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new GatedError(
      'INVALID_INPUT',
      `${name}: expected a number in [${min}, ${max === Infinity ? '∞' : max}], received ${value}`,
    );
  }
  return value;
}
