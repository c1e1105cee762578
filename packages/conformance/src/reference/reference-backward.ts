import {
  ALL_CAPABILITIES,
  assertCanTrain,
  layerInputSize,
  type NormalizedConfig,
  normalizeConfig,
  numDirections,
  outputSize,
  type RecurrentConfig,
} from '@gated/core';
import { type LayerGradients, type ReferenceBackwardLayer, withDerivatives } from './cell-step-backward.js';
import { float64, invalid, referenceArguments, swapLeading } from './reference-arguments.js';
import { type ReferenceOptions, runReferenceLayers } from './reference-forward.js';
import { mapLayerTensors, referenceLayerFromWeights } from './reference-layer.js';
import { runReferenceSequenceBackward } from './reference-sequence-backward.js';
import { recordReferenceSequence, sequenceTapeLength } from './reference-sequence-tape.js';

/** ∂loss/∂(what referenceForward returned), flat, in the layout of its result: `output`
 * [T, B, D·Hout] (or [B, T, D·Hout] with batchFirst), `h` [L·D, B, Hout], `c` [L·D, B, H]
 * (LSTM). Each may be omitted (zeros). */
export interface ReferenceUpstream {
  output?: ArrayLike<number>;
  h?: ArrayLike<number>;
  c?: ArrayLike<number>;
}

/** ∂loss/∂(everything the forward read), in float64. */
export interface ReferenceGradients {
  /** Same names and shapes as the weights (PyTorch state_dict), row-major. */
  weights: Record<string, Float64Array>;
  /** Shape of x ([T, B, I] or [B, T, I] with batchFirst); zero at masked steps. */
  x: Float64Array;
  xShape: number[];
  /** [L·D, B, Hout] */
  h0: Float64Array;
  h0Shape: number[];
  /** [L·D, B, H] (LSTM) */
  c0?: Float64Array;
  c0Shape?: number[];
}

/** Zeroed gradients for one layer-direction, and where each goes in the weight record. */
function zeroGradients(
  config: NormalizedConfig,
  layer: number,
  direction: number,
): { gradients: LayerGradients; named: [string, Float64Array][] } {
  const named: [string, Float64Array][] = [];
  const gradients = mapLayerTensors(config, layer, direction, (name, size) => {
    const values = new Float64Array(size);
    named.push([name, values]);
    return values;
  });
  return { gradients, named };
}

/** Backpropagation through time in float64, for the same arguments as `referenceForward`
 * plus the upstream gradients: a recorded forward (cell-step-tape.ts) and its backward
 * (cell-step-backward.ts), layers last to first, both directions adding into the gradient of
 * the layer's input. The oracle for gradients, checked against finite differences of
 * referenceForward and against PyTorch autograd. thresholdedRelu is UNSUPPORTED, as for every
 * backend (no derivative to train through). */
export function referenceBackward(
  config: RecurrentConfig | NormalizedConfig,
  weights: Readonly<Record<string, ArrayLike<number>>>,
  x: { data: ArrayLike<number>; shape: readonly number[] },
  options: ReferenceOptions = {},
  upstream: ReferenceUpstream = {},
): ReferenceGradients {
  const cfg = normalizeConfig(config);
  assertCanTrain('reference', ALL_CAPABILITIES, cfg);
  const args = referenceArguments(cfg, x, options);
  const { steps: T, batch: B } = args;
  const D = numDirections(cfg);
  const H = cfg.hiddenSize;
  const Hout = outputSize(cfg);
  const I = cfg.inputSize;
  const states = cfg.numLayers * D;
  const lstm = cfg.cell === 'lstm';
  if (!lstm && upstream.c !== undefined)
    invalid(`upstream.c: expected nothing for a ${cfg.cell.toUpperCase()}`);
  const dOutputGiven = float64(upstream.output, T * B * D * Hout, 'upstream.output');
  const dh = float64(upstream.h, states * B * Hout, 'upstream.h');
  const dc = lstm ? float64(upstream.c, states * B * H, 'upstream.c') : null;

  // The recorded forward: every layer's input and a tape per layer-direction.
  const layers: ReferenceBackwardLayer[] = [];
  const tapes: Float64Array[] = [];
  const layerInputs: Float64Array[] = [];
  runReferenceLayers(cfg, args, (layer, direction, job) => {
    layerInputs[layer] = job.input;
    const ref = withDerivatives(referenceLayerFromWeights(cfg, weights, layer, direction), cfg);
    const tape = new Float64Array(sequenceTapeLength(ref, T, B));
    layers.push(ref);
    tapes.push(tape);
    return recordReferenceSequence(ref, job, tape);
  });

  // The backward: layers last to first; a layer's input gradient is the layer below's dOutput.
  const named: [string, Float64Array][][] = [];
  let dOutput = cfg.batchFirst ? swapLeading(dOutputGiven, B, T, D * Hout) : dOutputGiven;
  for (let layer = cfg.numLayers - 1; layer >= 0; layer--) {
    const dInput = new Float64Array(T * B * layerInputSize(cfg, layer));
    for (let direction = 0; direction < D; direction++) {
      const index = layer * D + direction;
      const zeros = zeroGradients(cfg, layer, direction);
      named[index] = zeros.named;
      runReferenceSequenceBackward(layers[index], {
        input: layerInputs[layer],
        tape: tapes[index],
        steps: T,
        batch: B,
        dOutput,
        dOutputStride: D * Hout,
        dOutputOffset: direction * Hout,
        dh: dh.subarray(index * B * Hout, (index + 1) * B * Hout),
        dc: dc === null ? null : dc.subarray(index * B * H, (index + 1) * B * H),
        dInput,
        gradients: zeros.gradients,
        reverse: direction === 1,
        seqLens: args.seqLens,
      });
    }
    dOutput = dInput;
  }

  const result: ReferenceGradients = {
    weights: Object.fromEntries(named.flat()),
    x: cfg.batchFirst ? swapLeading(dOutput, T, B, I) : dOutput,
    xShape: [...x.shape],
    h0: dh,
    h0Shape: [states, B, Hout],
  };
  if (dc !== null) {
    result.c0 = dc;
    result.c0Shape = [states, B, H];
  }
  return result;
}
