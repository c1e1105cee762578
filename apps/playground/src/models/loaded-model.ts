import type { Weights } from '@gated/core';

/** The gated config of a loaded model, as JSON gives it (validated when a backend compiles it). */
export interface PlaygroundConfig {
  readonly cell: string;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly [option: string]: unknown;
}

/** A linear read-out applied to the last layer's h at every step: logits = W·h + b. */
export interface LinearHead {
  readonly weight: Float32Array; // [classes, Hout], row-major
  readonly bias: Float32Array; // [classes]
  readonly classes: readonly string[];
}

/** What the training script measured and recorded (the sidecar JSON). */
export interface TrainedFacts {
  readonly task: { name: string; description: string; vocabulary: string[]; trainedOn: string };
  readonly accuracy: {
    heldOutStrings: number;
    perStep: number;
    wholeString: number;
    longerStrings: number;
    longerPerStep: number;
    longerWholeString: number;
    lengths: string;
  };
  readonly example: { text: string; output: number[]; logits: number[] };
  readonly trainedWith: string;
}

/** A model the page can run: a config, weights, how text becomes input, an optional head. */
export interface LoadedModel {
  readonly id: string;
  readonly title: string;
  /** Where it came from, in words (a bundled model, a dropped file). */
  readonly source: string;
  readonly config: PlaygroundConfig;
  readonly weights: Weights;
  readonly head: LinearHead | null;
  /** Characters with their own one-hot column; any other character maps to `other`. */
  readonly vocabulary: readonly string[] | null;
  readonly trained: TrainedFacts | null;
}
