import type { CellType } from '../config.js';
import { GATE_ROWS } from '../gates.js';

/** A gate order of a foreign format, written with gated's gate names (PyTorch order i,f,g,o /
 * r,z,n / h). Foreign names map onto ours: Keras c = g, TF1 j = g, Keras/ONNX GRU h = n. */
export type GateOrder = readonly string[];

/** For each block k of the foreign order, the index of that gate in gated's (PyTorch) order. */
export function gateIndices(cell: CellType, order: GateOrder): number[] {
  const rows: readonly string[] = GATE_ROWS[cell];
  return order.map((gate) => {
    const index = rows.indexOf(gate);
    if (index < 0) throw new Error(`gate order ${order.join(',')} names ${gate}, not a ${cell} gate`);
    return index;
  });
}

/** Rows of a [G·H, cols] matrix (or a [G·H] vector with cols = 1) in gated's order → foreign
 * order: block k of the result is block `indices[k]` of `src`. A pure copy, so bit-exact. */
export function toForeignRows(
  src: Float32Array,
  hidden: number,
  cols: number,
  indices: readonly number[],
): Float32Array {
  const block = hidden * cols;
  const out = new Float32Array(src.length);
  indices.forEach((from, k) => {
    out.set(src.subarray(from * block, (from + 1) * block), k * block);
  });
  return out;
}

/** The inverse of `toForeignRows`: block k of `src` (foreign order) becomes block `indices[k]`. */
export function fromForeignRows(
  src: Float32Array,
  hidden: number,
  cols: number,
  indices: readonly number[],
): Float32Array {
  const inverse: number[] = [];
  indices.forEach((to, k) => {
    inverse[to] = k;
  });
  return toForeignRows(src, hidden, cols, inverse);
}

/** [rows, cols] row-major → [cols, rows] row-major. */
export function transpose(src: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c];
  }
  return out;
}

/** Rows [begin, end) of a row-major [rows, cols] matrix, copied. */
export function sliceRows(src: Float32Array, cols: number, begin: number, end: number): Float32Array {
  return src.slice(begin * cols, end * cols);
}

/** Elementwise f32 sum of two equally long vectors. */
export function addVectors(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return out;
}
