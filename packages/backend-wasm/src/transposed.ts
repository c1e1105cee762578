import type { WasmHeap } from './heap.js';
import type { WasmLayer } from './layer.js';
import { PANEL, roundUpToPanel } from './pack.js';

/** The weights of one layer-direction packed for the backward's GEMMs (assembly/gemm.ts
 * panels, byte offsets): `hh` = W_hhᵀ, k = the G·hp gate columns, panels over the pp state
 * columns (dh_prev = dA · W_hh); `ih` = W_ihᵀ, panels over the input columns (dx = dA · W_ih);
 * `hr` = W_hrᵀ (projection, 0 without), k = pp, panels over hp (dr = dh · W_hr). */
export interface TransposedWeights {
  readonly hh: number;
  readonly ih: number;
  readonly hr: number;
}

const cache = new WeakMap<WasmLayer, TransposedWeights>();

/**
 * The layer's transposed packing, made from its forward packing on first use (a model that
 * never trains never holds it) and freed with the layer (its blocks join `layer.blocks`).
 */
export function transposedWeights(heap: WasmHeap, layer: WasmLayer): TransposedWeights {
  const known = cache.get(layer);
  if (known) return known;
  const { columns: N, inputSize: I, outputPadded: pp, hiddenPadded: hp, output: P, hidden: H } = layer;
  const ip = roundUpToPanel(I);
  const sizes = [N * pp, N * ip, layer.weightHr ? pp * hp : 0];
  const blocks = heap.allocAll(sizes.filter((n) => n > 0).map((n) => n * 4));
  const [hh, ih, hr] = [blocks[0], blocks[1], layer.weightHr ? blocks[2] : 0];
  const f32 = heap.f32();
  transposePanels(f32, layer.weightHh / 4, N, P, hh / 4);
  transposePanels(f32, layer.weightIh / 4, N, I, ih / 4);
  if (layer.weightHr) transposePanels(f32, layer.weightHr / 4, pp, H, hr / 4);
  layer.blocks.push(...blocks);
  const weights = Object.freeze({ hh, ih, hr });
  cache.set(layer, weights);
  return weights;
}

/** A panel packing of n columns (a multiple of 16) over k rows → the packing of its transpose:
 * k columns (padded to 16, padding zero: dst is zero-filled) over n rows. */
function transposePanels(f32: Float32Array, src: number, n: number, k: number, dst: number): void {
  for (let col = 0; col < n; col++) {
    const from = src + Math.floor(col / PANEL) * k * PANEL + (col % PANEL);
    const to = dst + col * PANEL;
    for (let kk = 0; kk < k; kk++) {
      f32[to + Math.floor(kk / PANEL) * n * PANEL + (kk % PANEL)] = f32[from + kk * PANEL];
    }
  }
}
