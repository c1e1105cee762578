import {
  GatedError,
  type NormalizedConfig,
  normalizeConfig,
  numDirections,
  outputSize,
  type RecurrentConfig,
} from '@gated/core';
import { referenceLayerFromWeights } from './reference-layer.js';
import { runReferenceSequence } from './reference-sequence.js';

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

function invalid(message: string): never {
  throw new GatedError('INVALID_INPUT', message);
}

function checkLength(values: ArrayLike<number>, size: number, argument: string): Float64Array {
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
  const D = numDirections(cfg);
  const H = cfg.hiddenSize;
  const Hout = outputSize(cfg);
  const states = cfg.numLayers * D;
  const lstm = cfg.cell === 'lstm';

  if (x.shape.length !== 3 || x.shape[2] !== cfg.inputSize) {
    invalid(
      `x: expected shape ${cfg.batchFirst ? '[B, T, I]' : '[T, B, I]'} with I = ${cfg.inputSize}, received [${x.shape.join(', ')}]`,
    );
  }
  const [T, B] = cfg.batchFirst ? [x.shape[1], x.shape[0]] : [x.shape[0], x.shape[1]];
  const xData = checkLength(x.data, T * B * cfg.inputSize, 'x.data');
  const h0 =
    options.h0 === undefined
      ? new Float64Array(states * B * Hout)
      : checkLength(options.h0, states * B * Hout, 'options.h0');
  if (options.c0 !== undefined && !lstm)
    invalid(`options.c0: expected nothing for a ${cfg.cell.toUpperCase()}, received values`);
  const c0 =
    options.c0 === undefined
      ? new Float64Array(states * B * H)
      : checkLength(options.c0, states * B * H, 'options.c0');
  const seqLens = options.seqLens ?? null;
  if (seqLens !== null) {
    if (seqLens.length !== B) invalid(`options.seqLens: expected ${B} lengths, received ${seqLens.length}`);
    for (let b = 0; b < B; b++) {
      const L = seqLens[b];
      if (!Number.isInteger(L) || L < 0 || L > T)
        invalid(`options.seqLens[${b}]: expected an integer in [0, ${T}], received ${L}`);
    }
  }

  let layerInput = cfg.batchFirst ? swapLeading(xData, B, T, cfg.inputSize) : xData;
  const h = new Float64Array(states * B * Hout);
  const c = new Float64Array(states * B * H);
  const gates: NonNullable<ReferenceResult['gates']> = [];
  for (let layer = 0; layer < cfg.numLayers; layer++) {
    const output = new Float64Array(T * B * D * Hout);
    for (let direction = 0; direction < D; direction++) {
      const index = layer * D + direction;
      const result = runReferenceSequence(referenceLayerFromWeights(cfg, weights, layer, direction), {
        input: layerInput,
        steps: T,
        batch: B,
        h0: h0.subarray(index * B * Hout, (index + 1) * B * Hout),
        c0: lstm ? c0.subarray(index * B * H, (index + 1) * B * H) : null,
        reverse: direction === 1,
        seqLens,
      });
      // Bidirectional output rows are concat(forward, reverse).
      for (let row = 0; row < T * B; row++) {
        output.set(result.output.subarray(row * Hout, (row + 1) * Hout), row * D * Hout + direction * Hout);
      }
      h.set(result.h, index * B * Hout);
      if (result.c !== null) c.set(result.c, index * B * H);
      if (options.returnGates) gates.push({ layer, direction, values: result.gates });
    }
    layerInput = output;
  }

  const result: ReferenceResult = {
    output: cfg.batchFirst ? swapLeading(layerInput, T, B, D * Hout) : layerInput,
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
