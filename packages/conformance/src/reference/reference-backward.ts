import {
  ALL_CAPABILITIES,
  assertCanTrain,
  GatedError,
  gateCount,
  layerInputSize,
  layerWeightNames,
  type NormalizedConfig,
  normalizeConfig,
  numDirections,
  outputSize,
  type RecurrentConfig,
} from '@gated/core';
import { type LayerGradients, type ReferenceBackwardLayer, withDerivatives } from './cell-step-backward.js';
import type { ReferenceOptions } from './reference-forward.js';
import { referenceLayerFromWeights } from './reference-layer.js';
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

function invalid(message: string): never {
  throw new GatedError('INVALID_INPUT', message);
}

function float64(values: ArrayLike<number> | undefined, size: number, argument: string): Float64Array {
  if (values === undefined) return new Float64Array(size);
  if (values.length !== size) invalid(`${argument}: expected ${size} values, received ${values.length}`);
  return Float64Array.from(values);
}

/** [A, B, C] → [B, A, C] */
function swapLeading(data: Float64Array, a: number, b: number, c: number): Float64Array {
  const out = new Float64Array(data.length);
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) out.set(data.subarray((i * b + j) * c, (i * b + j + 1) * c), (j * a + i) * c);
  }
  return out;
}

/** Zeroed gradients for one layer-direction, and where each goes in the weight record. */
function zeroGradients(
  config: NormalizedConfig,
  layer: number,
  direction: number,
): { gradients: LayerGradients; named: [string, Float64Array][] } {
  const GH = gateCount(config.cell) * config.hiddenSize;
  const names = layerWeightNames(config, layer, direction);
  const named: [string, Float64Array][] = [];
  const zeros = (name: string | null, size: number): Float64Array | null => {
    if (name === null) return null;
    const values = new Float64Array(size);
    named.push([name, values]);
    return values;
  };
  const gradients: LayerGradients = {
    weightIh: zeros(names.weightIh, GH * layerInputSize(config, layer))!,
    weightHh: zeros(names.weightHh, GH * outputSize(config))!,
    biasIh: zeros(names.biasIh, GH),
    biasHh: zeros(names.biasHh, GH),
    weightHr: zeros(names.weightHr, config.projSize * config.hiddenSize),
    weightPh: zeros(names.weightPh, 3 * config.hiddenSize),
  };
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
  const D = numDirections(cfg);
  const H = cfg.hiddenSize;
  const Hout = outputSize(cfg);
  const I = cfg.inputSize;
  const states = cfg.numLayers * D;
  const lstm = cfg.cell === 'lstm';

  if (x.shape.length !== 3 || x.shape[2] !== I) {
    invalid(
      `x: expected shape ${cfg.batchFirst ? '[B, T, I]' : '[T, B, I]'} with I = ${I}, received [${x.shape.join(', ')}]`,
    );
  }
  const [T, B] = cfg.batchFirst ? [x.shape[1], x.shape[0]] : [x.shape[0], x.shape[1]];
  const xData = float64(x.data, T * B * I, 'x.data');
  const h0 = float64(options.h0, states * B * Hout, 'options.h0');
  if (!lstm && options.c0 !== undefined)
    invalid(`options.c0: expected nothing for a ${cfg.cell.toUpperCase()}`);
  if (!lstm && upstream.c !== undefined)
    invalid(`upstream.c: expected nothing for a ${cfg.cell.toUpperCase()}`);
  const c0 = float64(options.c0, states * B * H, 'options.c0');
  const seqLens = options.seqLens ?? null;
  if (seqLens !== null) {
    if (seqLens.length !== B) invalid(`options.seqLens: expected ${B} lengths, received ${seqLens.length}`);
    for (let b = 0; b < B; b++) {
      const L = seqLens[b];
      if (!Number.isInteger(L) || L < 0 || L > T)
        invalid(`options.seqLens[${b}]: expected an integer in [0, ${T}], received ${L}`);
    }
  }
  const dOutputGiven = float64(upstream.output, T * B * D * Hout, 'upstream.output');
  const dh = float64(upstream.h, states * B * Hout, 'upstream.h');
  const dc = lstm ? float64(upstream.c, states * B * H, 'upstream.c') : null;

  // The recorded forward: every layer's input and a tape per layer-direction.
  const layers: ReferenceBackwardLayer[] = [];
  const tapes: Float64Array[] = [];
  const layerInputs: Float64Array[] = [];
  let layerInput = cfg.batchFirst ? swapLeading(xData, B, T, I) : xData;
  for (let layer = 0; layer < cfg.numLayers; layer++) {
    layerInputs.push(layerInput);
    const output = new Float64Array(T * B * D * Hout);
    for (let direction = 0; direction < D; direction++) {
      const index = layer * D + direction;
      const ref = withDerivatives(referenceLayerFromWeights(cfg, weights, layer, direction), cfg);
      const tape = new Float64Array(sequenceTapeLength(ref, T, B));
      const result = recordReferenceSequence(
        ref,
        {
          input: layerInput,
          steps: T,
          batch: B,
          h0: h0.subarray(index * B * Hout, (index + 1) * B * Hout),
          c0: lstm ? c0.subarray(index * B * H, (index + 1) * B * H) : null,
          reverse: direction === 1,
          seqLens,
        },
        tape,
      );
      for (let row = 0; row < T * B; row++) {
        output.set(result.output.subarray(row * Hout, (row + 1) * Hout), row * D * Hout + direction * Hout);
      }
      layers.push(ref);
      tapes.push(tape);
    }
    layerInput = output;
  }

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
        seqLens,
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
