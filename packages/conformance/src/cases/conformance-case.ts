import {
  createRandom,
  type ForwardOptions,
  initWeights,
  normalizeConfig,
  numDirections,
  outputSize,
  type RecurrentConfig,
  type Tensor,
  uniformArray,
} from '@gated/core';

/** One named, deterministic conformance case: everything needed to rebuild its data. */
export interface ConformanceCase {
  readonly name: string;
  readonly config: RecurrentConfig;
  /** Seeds the weights (initWeights) and, offset, the inputs and initial states. */
  readonly seed: number;
  readonly T: number;
  readonly B: number;
  readonly options: CaseOptions;
  /** x ~ U(-inputScale, inputScale). */
  readonly inputScale: number;
}

export interface CaseOptions {
  /** Pass a random h0 (and c0 for LSTM when `c0` is also set). */
  readonly h0?: boolean;
  readonly c0?: boolean;
  readonly seqLens?: readonly number[];
  readonly returnGates?: boolean;
  /** Pre-activations beyond the f32 range: see OVERFLOW_INPUT. */
  readonly overflow?: boolean;
}

/** With `overflow`, input component 0 of every (t, b) is ±OVERFLOW_INPUT (the largest f32
 * magnitude, sign alternating) and layer 0's input weights for it are stretched to magnitudes
 * in [1.5, 2.9]: each product, hence each layer-0 pre-activation, lies beyond the f32 range
 * (about ±4.5e38 to ±9.9e38; ±Infinity in f32) while every other term stays small and finite.
 * The float64 reference saturates there, and so must every backend. */
export const OVERFLOW_INPUT = 3.4e38;

/** A case's concrete weights and inputs (f32, as users give them). */
export interface CaseData {
  readonly weights: Record<string, Float32Array>;
  readonly x: Tensor;
  readonly options: ForwardOptions;
}

/** Builds weights with initWeights(seed) and x, h0, c0 from independent seeded streams. */
export function buildCaseData(testCase: ConformanceCase): CaseData {
  const config = normalizeConfig(testCase.config);
  const { T, B, seed } = testCase;
  const weights = initWeights(config, { seed });
  const random = createRandom(seed + 7919);
  const xShape = config.batchFirst ? [B, T, config.inputSize] : [T, B, config.inputSize];
  const x = {
    data: uniformArray(T * B * config.inputSize, -testCase.inputScale, testCase.inputScale, random),
    shape: xShape,
  };
  if (testCase.options.overflow) stretchForOverflow(config.inputSize, x.data, weights);
  const states = config.numLayers * numDirections(config);
  const options: ForwardOptions = {};
  if (testCase.options.h0) {
    options.h0 = {
      data: uniformArray(states * B * outputSize(config), -0.5, 0.5, random),
      shape: [states, B, outputSize(config)],
    };
  }
  if (testCase.options.c0) {
    options.c0 = {
      data: uniformArray(states * B * config.hiddenSize, -1, 1, random),
      shape: [states, B, config.hiddenSize],
    };
  }
  if (testCase.options.seqLens) options.seqLens = [...testCase.options.seqLens];
  if (testCase.options.returnGates) options.returnGates = true;
  return { weights, x, options };
}

function stretchForOverflow(I: number, x: Float32Array, weights: Record<string, Float32Array>): void {
  for (let row = 0; row < x.length / I; row++) x[row * I] = row % 2 === 0 ? OVERFLOW_INPUT : -OVERFLOW_INPUT;
  for (const name of ['weight_ih_l0', 'weight_ih_l0_reverse']) {
    const w = weights[name];
    if (!w) continue;
    for (let r = 0; r < w.length / I; r++) {
      const v = w[r * I];
      w[r * I] = (v < 0 ? -1 : 1) * (1.5 + 4 * Math.abs(v));
    }
  }
}

/** A stable 31-bit seed from a case name, so adding a case never reseeds the others. */
export function seedFromName(name: string): number {
  let hash = 2166136261;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16777619);
  return (hash >>> 0) & 0x7fffffff;
}

/** Shorthand for catalogue entries: seed from the name, T = 4, B = 2, inputScale = 1. */
export function defineCase(
  name: string,
  config: RecurrentConfig,
  shape: { T?: number; B?: number; inputScale?: number } = {},
  options: CaseOptions = {},
): ConformanceCase {
  return {
    name,
    config,
    seed: seedFromName(name),
    T: shape.T ?? 4,
    B: shape.B ?? 2,
    options,
    inputScale: shape.inputScale ?? 1,
  };
}
