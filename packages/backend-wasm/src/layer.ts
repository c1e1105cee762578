import {
  ACTIVATION_NAMES,
  type ActivationSpec,
  gateCount,
  type LayerSpec,
  type LayerWeights,
} from '@gated/core';
import { BlockGroup, type WasmHeap } from './heap.js';
import { packPanels, padGateVector, roundUpToPanel } from './pack.js';

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
  scratch: Scratch | null;
}

/** Per-layer work buffers, kept between calls so that stream steps allocate nothing. */
export interface Scratch {
  readonly batch: number;
  readonly rows: number;
  readonly pre: number;
  readonly rec: number;
  readonly h: number;
  readonly c: number;
  readonly r: number;
  readonly proj: number;
  readonly lens: number;
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
  const group = new BlockGroup(heap);
  const block = (floats: number): number => group.floats(floats);
  try {
    const view = (ptr: number, floats: number) => heap.f32().subarray(ptr / BYTES, ptr / BYTES + floats);
    const weightIh = block(N * spec.inputSize);
    packPanels(weights.weightIh, G, H, spec.inputSize, view(weightIh, N * spec.inputSize));
    const weightHh = block(N * P);
    packPanels(weights.weightHh, G, H, P, view(weightHh, N * P));
    let weightHr = 0;
    if (weights.weightHr) {
      weightHr = block(pp * H);
      packPanels(weights.weightHr, 1, P, H, view(weightHr, pp * H));
    }
    const biasPre = block(N);
    const biasRec = block(N);
    const gruAfter = config.cell === 'gru' && config.resetAfter;
    if (weights.biasIh && weights.biasHh) {
      padGateVector(weights.biasIh, G, H, view(biasPre, N));
      padGateVector(weights.biasHh, G, H, view(biasPre, N), gruAfter ? [0, 1] : undefined);
      if (gruAfter) padGateVector(weights.biasHh, G, H, view(biasRec, N), [2]);
    }
    const biasProj = block(pp);
    let peephole = 0;
    if (weights.weightPh) {
      peephole = block(3 * hp);
      padGateVector(weights.weightPh, 3, H, view(peephole, 3 * hp));
    }
    const params = block(PARAM_COUNT);
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
      blocks: group.blocks,
      scratch: null,
    };
  } catch (error) {
    group.release();
    throw error;
  }
}

const PARAM_COUNT = 11;

function activationParams(spec: ActivationSpec): number[] {
  return [ACTIVATION_NAMES.indexOf(spec.name), spec.alpha, spec.beta];
}

/** Scratch buffers for `rows` = T·B projected rows and `batch` rows of state, reusing the
 * layer's current ones when they are large enough. */
export function ensureScratch(heap: WasmHeap, layer: WasmLayer, rows: number, batch: number): Scratch {
  const current = layer.scratch;
  if (current && current.rows >= rows && current.batch >= batch) return current;
  if (current) freeScratch(heap, layer);
  const group = new BlockGroup(heap);
  const block = (floats: number): number => group.floats(floats);
  try {
    const size = Math.max(batch, current?.batch ?? 0);
    rows = Math.max(rows, current?.rows ?? 0);
    const { columns: N, hiddenPadded: hp, outputPadded: pp } = layer;
    layer.scratch = {
      batch: size,
      rows,
      pre: block(rows * N),
      rec: block(size * N),
      h: block(size * pp),
      c: block(size * hp),
      r: block(size * hp),
      proj: block(size * pp),
      lens: block(size),
      blocks: group.blocks,
    };
    return layer.scratch;
  } catch (error) {
    group.release();
    throw error;
  }
}

export function freeScratch(heap: WasmHeap, layer: WasmLayer): void {
  if (!layer.scratch) return;
  for (const ptr of layer.scratch.blocks) heap.release(ptr);
  layer.scratch = null;
}

export function freeLayer(heap: WasmHeap, layer: WasmLayer): void {
  freeScratch(heap, layer);
  for (const ptr of layer.blocks) heap.release(ptr);
  layer.blocks.length = 0;
}
