/** Columns per weight panel: four f32x4 accumulators wide, one 64-byte line per k (assembly/gemm.ts). */
export const PANEL = 16;

export function roundUpToPanel(n: number): number {
  return Math.ceil(n / PANEL) * PANEL;
}

/**
 * Packs a row-major [gates·rows, k] matrix (PyTorch layout, gate blocks of `rows` rows) into
 * the GEMM's panel order: gate g's row j becomes output column n = g·rowsPadded + j, and
 * panel p = ⌊n/16⌋ stores its k × 16 block contiguously, column n at lane n mod 16. Padding
 * columns stay zero. `dst` is a zero-filled view of gates·rowsPadded·k floats.
 */
export function packPanels(
  src: Float32Array,
  gates: number,
  rows: number,
  k: number,
  dst: Float32Array,
): void {
  const rowsPadded = roundUpToPanel(rows);
  for (let g = 0; g < gates; g++) {
    for (let j = 0; j < rows; j++) {
      const n = g * rowsPadded + j;
      const panelBase = Math.floor(n / PANEL) * k * PANEL + (n % PANEL);
      const srcBase = (g * rows + j) * k;
      for (let kk = 0; kk < k; kk++) dst[panelBase + kk * PANEL] = src[srcBase + kk];
    }
  }
}

/** Copies a [gates·rows] vector into gate blocks of stride rowsPadded (padding left zero). */
export function padGateVector(
  src: Float32Array,
  gates: number,
  rows: number,
  dst: Float32Array,
  gateSubset?: readonly number[],
): void {
  const rowsPadded = roundUpToPanel(rows);
  for (const g of gateSubset ?? Array.from({ length: gates }, (_, i) => i)) {
    for (let j = 0; j < rows; j++) dst[g * rowsPadded + j] += src[g * rows + j];
  }
}
