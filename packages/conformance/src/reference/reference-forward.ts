import {
  type NormalizedConfig,
  normalizeConfig,
  numDirections,
  outputSize,
  type RecurrentConfig,
} from '@gated/core';
import { type ReferenceArguments, referenceArguments, swapLeading } from './reference-arguments.js';
import { referenceLayerFromWeights } from './reference-layer.js';
import {
  type ReferenceSequenceInput,
  type ReferenceSequenceResult,
  runReferenceSequence,
} from './reference-sequence.js';

export interface ReferenceOptions {
  /** [L·D, B, Hout], flat */
  h0?: ArrayLike<number>;
  /** [L·D, B, H], flat (LSTM) */
  c0?: ArrayLike<number>;
  seqLens?: ArrayLike<number>;
  returnGates?: boolean;
}

export interface ReferenceResult {
  output: Float64Array;
  outputShape: number[];
  h: Float64Array;
  hShape: number[];
  c?: Float64Array;
  cShape?: number[];
  gates?: { layer: number; direction: number; values: Record<string, Float64Array> }[];
}

/** The layer stack, layers first to last: `run` computes one layer-direction's sequence for
 * the job given (its input, its slices of h0 and c0); layer l + 1 reads layer l's output.
 * Returns the last layer's output [T, B, D·Hout], time-major. */
export function runReferenceLayers(
  cfg: NormalizedConfig,
  args: ReferenceArguments,
  run: (layer: number, direction: number, job: ReferenceSequenceInput) => ReferenceSequenceResult,
): Float64Array {
  const { steps: T, batch: B } = args;
  const D = numDirections(cfg);
  const H = cfg.hiddenSize;
  const Hout = outputSize(cfg);
  let layerInput = args.input;
  for (let layer = 0; layer < cfg.numLayers; layer++) {
    const output = new Float64Array(T * B * D * Hout);
    for (let direction = 0; direction < D; direction++) {
      const index = layer * D + direction;
      const result = run(layer, direction, {
        input: layerInput,
        steps: T,
        batch: B,
        h0: args.h0.subarray(index * B * Hout, (index + 1) * B * Hout),
        c0: cfg.cell === 'lstm' ? args.c0.subarray(index * B * H, (index + 1) * B * H) : null,
        reverse: direction === 1,
        seqLens: args.seqLens,
      });
      // Bidirectional output rows are concat(forward, reverse).
      for (let row = 0; row < T * B; row++) {
        output.set(result.output.subarray(row * Hout, (row + 1) * Hout), row * D * Hout + direction * Hout);
      }
    }
    layerInput = output;
  }
  return layerInput;
}

/** The whole model in float64, straight from the DESIGN math: the oracle every backend is
 * compared with. Independent of core's orchestration on purpose (it only uses core for config
 * normalization, weight names and activation formulas). */
export function referenceForward(
  config: RecurrentConfig | NormalizedConfig,
  weights: Readonly<Record<string, ArrayLike<number>>>,
  x: { data: ArrayLike<number>; shape: readonly number[] },
  options: ReferenceOptions = {},
): ReferenceResult {
  const cfg = normalizeConfig(config);
  const args = referenceArguments(cfg, x, options);
  const { steps: T, batch: B } = args;
  const D = numDirections(cfg);
  const H = cfg.hiddenSize;
  const Hout = outputSize(cfg);
  const states = cfg.numLayers * D;
  const lstm = cfg.cell === 'lstm';

  const h = new Float64Array(states * B * Hout);
  const c = new Float64Array(states * B * H);
  const gates: NonNullable<ReferenceResult['gates']> = [];
  const output = runReferenceLayers(cfg, args, (layer, direction, job) => {
    const index = layer * D + direction;
    const result = runReferenceSequence(referenceLayerFromWeights(cfg, weights, layer, direction), job);
    h.set(result.h, index * B * Hout);
    if (result.c !== null) c.set(result.c, index * B * H);
    if (options.returnGates) gates.push({ layer, direction, values: result.gates });
    return result;
  });

  const result: ReferenceResult = {
    output: cfg.batchFirst ? swapLeading(output, T, B, D * Hout) : output,
    outputShape: cfg.batchFirst ? [B, T, D * Hout] : [T, B, D * Hout],
    h,
    hShape: [states, B, Hout],
  };
  if (lstm) {
    result.c = c;
    result.cShape = [states, B, H];
  }
  if (options.returnGates) result.gates = gates;
  return result;
}
