import {
  ACTIVATION_NAMES,
  type ActivationSpec,
  GatedError,
  gateCount,
  type LayerSpec,
  type LayerWeights,
} from '@gated/core';
import type { WasmHeap } from './heap.js';
import { packPanels, padGateVector, roundUpToPanel } from './pack.js';
import { float32Length } from './typed-length.js';

/** One layer-direction resident in wasm memory. Pointers are byte offsets; 0 means absent. */
export interface WasmLayer {
  readonly cell: 'lstm' | 'gru' | 'rnn';
  readonly resetAfter: boolean;
  readonly inputSize: number;
  readonly hidden: number;
  readonly hiddenPadded: number;
  readonly output: number;
  readonly outputPadded: number;
  readonly gates: number;
  /** Columns of the gate matrices: gates · hiddenPadded. */
  readonly columns: number;
  readonly weightIh: number;
  readonly weightHh: number;
  readonly weightHr: number;
  /** b_ih + b_hh (GRU reset-after: b_hn stays in biasRec). */
  readonly biasPre: number;
  readonly biasRec: number;
  /** Zeros, the init row of the projection GEMM. */
  readonly biasProj: number;
  readonly peephole: number;
  /** See assembly/cells.ts: activation ids and parameters, clip, coupled. */
  readonly params: number;
  readonly blocks: number[];
}

const BYTES = 4;

export function packLayer(heap: WasmHeap, spec: LayerSpec, weights: LayerWeights): WasmLayer {
  const { config } = spec;
  const G = gateCount(config.cell);
  const H = spec.hiddenSize;
  const hp = roundUpToPanel(H);
  const P = spec.outputSize;
  const pp = roundUpToPanel(P);
  const N = G * hp;
  checkWeightLengths(spec, weights, {
    weightIh: G * H * spec.inputSize,
    weightHh: G * H * P,
    biasIh: G * H,
    biasHh: G * H,
    weightHr: P * H,
    weightPh: 3 * H,
  });
  // Every block in one call (none for an absent tensor): memory grows at most once per layer.
  const floats = [
    N * spec.inputSize,
    N * P,
    weights.weightHr ? pp * H : 0,
    N,
    N,
    pp,
    weights.weightPh ? 3 * hp : 0,
    PARAM_COUNT,
  ];
  const blocks = heap.allocAll(floats.filter((n) => n > 0).map((n) => n * BYTES));
  try {
    let next = 0;
    const [weightIh, weightHh, weightHr, biasPre, biasRec, biasProj, peephole, params] = floats.map((n) =>
      n > 0 ? blocks[next++] : 0,
    );
    const view = (ptr: number, floats: number) => heap.f32().subarray(ptr / BYTES, ptr / BYTES + floats);
    packPanels(weights.weightIh, G, H, spec.inputSize, view(weightIh, N * spec.inputSize));
    packPanels(weights.weightHh, G, H, P, view(weightHh, N * P));
    if (weights.weightHr) packPanels(weights.weightHr, 1, P, H, view(weightHr, pp * H));
    const gruAfter = config.cell === 'gru' && config.resetAfter;
    if (weights.biasIh && weights.biasHh) {
      padGateVector(weights.biasIh, G, H, view(biasPre, N));
      padGateVector(weights.biasHh, G, H, view(biasPre, N), gruAfter ? [0, 1] : undefined);
      if (gruAfter) padGateVector(weights.biasHh, G, H, view(biasRec, N), [2]);
    }
    if (weights.weightPh) padGateVector(weights.weightPh, 3, H, view(peephole, 3 * hp));
    const { gate, candidate, cell } = config.activations;
    view(params, PARAM_COUNT).set([
      ...activationParams(gate),
      ...activationParams(candidate),
      ...activationParams(cell),
      config.clip ?? Number.POSITIVE_INFINITY,
      config.coupledInputForget ? 1 : 0,
    ]);
    return {
      cell: config.cell,
      resetAfter: config.resetAfter,
      inputSize: spec.inputSize,
      hidden: H,
      hiddenPadded: hp,
      output: P,
      outputPadded: pp,
      gates: G,
      columns: N,
      weightIh,
      weightHh,
      weightHr,
      biasPre,
      biasRec,
      biasProj,
      peephole,
      params,
      blocks,
    };
  } catch (error) {
    for (const ptr of blocks) heap.release(ptr);
    throw error;
  }
}

const PARAM_COUNT = 11;

function activationParams(spec: ActivationSpec): number[] {
  return [ACTIVATION_NAMES.indexOf(spec.name), spec.alpha, spec.beta];
}

/** Every tensor is a Float32Array of exactly its expected length, read from its internal
 * slots: packPanels' views end at their blocks, but a short or lying array would pack zeros
 * and garbage silently. core validated the weights; this is the last check before memory. */
function checkWeightLengths(
  spec: LayerSpec,
  weights: LayerWeights,
  expected: Readonly<Record<keyof LayerWeights, number>>,
): void {
  for (const key of Object.keys(expected) as (keyof LayerWeights)[]) {
    const value = weights[key];
    if (value === null && key !== 'weightIh' && key !== 'weightHh') continue;
    const length = float32Length(value);
    if (length !== expected[key]) {
      throw new GatedError(
        'INVALID_WEIGHTS',
        `packLayer: expected ${key} of layer ${spec.layer}, direction ${spec.direction} to be a Float32Array of ${expected[key]} values, received ${length < 0 ? 'something else' : `${length} values`}`,
      );
    }
  }
}

export function freeLayer(heap: WasmHeap, layer: WasmLayer): void {
  for (const ptr of layer.blocks) heap.release(ptr);
  layer.blocks.length = 0;
}
