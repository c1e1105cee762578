import type { NormalizedConfig, RecurrentConfig } from '@gated/core';
import { type ReferenceOptions, type ReferenceUpstream, referenceForward } from '../reference/index.js';

/** Everything a loss reads, in float64: the tensors finite differences perturb. */
export interface LossInputs {
  readonly weights: Readonly<Record<string, Float64Array>>;
  readonly x: { readonly data: Float64Array; readonly shape: readonly number[] };
  readonly h0: Float64Array;
  /** LSTM */
  readonly c0?: Float64Array;
  readonly seqLens?: readonly number[];
}

/** L = Σ upstream.output ⊙ output + Σ upstream.h ⊙ h + Σ upstream.c ⊙ c of the float64 reference
 * forward: the loss whose gradients a backward with these upstream gradients returns. */
export function referenceLoss(
  config: RecurrentConfig | NormalizedConfig,
  inputs: LossInputs,
  upstream: ReferenceUpstream,
): number {
  const options: ReferenceOptions = { h0: inputs.h0, c0: inputs.c0, seqLens: inputs.seqLens };
  const result = referenceForward(config, inputs.weights, inputs.x, options);
  const dot = (a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined) => {
    if (a === undefined || b === undefined) return 0;
    let sum = 0;
    for (let k = 0; k < a.length; k++) sum += a[k] * b[k];
    return sum;
  };
  return dot(upstream.output, result.output) + dot(upstream.h, result.h) + dot(upstream.c, result.c);
}

/** The array of `inputs` a coordinate names: a weight name, 'x', 'h0' or 'c0'. */
export function tensorOf(inputs: LossInputs, tensor: string): Float64Array {
  if (tensor === 'x') return inputs.x.data;
  if (tensor === 'h0') return inputs.h0;
  if (tensor === 'c0' && inputs.c0) return inputs.c0;
  const weights = inputs.weights[tensor];
  if (weights === undefined) throw new Error(`no tensor '${tensor}' among the loss inputs`);
  return weights;
}

/** Step of the difference quotient: the fourth-order stencil's truncation error is about
 * step⁴·|L⁽⁵⁾|/30 (≈ 1e-17 here) and its rounding about 1e-16·|L|/step (≈ 1e-12 for |L| ≈ 10);
 * small enough that a perturbation crosses an activation's kink or a clip bound only where a
 * pre-activation lies within ~1e-4 of it. */
export const FINITE_DIFFERENCE_STEP = 1e-4;

/** ∂L/∂(tensor[index]) by the central difference (−L(2ε) + 8L(ε) − 8L(−ε) + L(−2ε)) / 12ε
 * (fourth order), perturbing `inputs` in place and restoring it. */
export function finiteDifference(
  loss: (inputs: LossInputs) => number,
  inputs: LossInputs,
  tensor: string,
  index: number,
  step = FINITE_DIFFERENCE_STEP,
): number {
  const values = tensorOf(inputs, tensor);
  const original = values[index];
  const at = (offset: number) => {
    values[index] = original + offset;
    return loss(inputs);
  };
  try {
    return (-at(2 * step) + 8 * at(step) - 8 * at(-step) + at(-2 * step)) / (12 * step);
  } finally {
    values[index] = original;
  }
}

/** A few indices of a tensor of `length` values: the first, the last and `count` more from a
 * seeded stream (deterministic, so a failure reproduces). */
export function sampleIndices(length: number, count: number, seed: number): number[] {
  const picked = new Set<number>([0, length - 1]);
  let state = seed >>> 0 || 1;
  for (let k = 0; k < count && picked.size < length; k++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    picked.add(state % length);
  }
  return [...picked].sort((a, b) => a - b);
}
