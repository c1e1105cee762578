import type { Real } from './real.js';

/** Rows of `a` processed per pass over the weights: 64 rows of up to a few hundred values stay
 * in L1/L2 while every block of 4 weight rows streams past them once. */
const ROW_CHUNK = 64;

/**
 * out[r·outStride + outOffset + n] = Σ_k a[aOffset + r·aStride + k] · w[wOffset + n·depth + k] + bias[biasOffset + n]
 * for r < rows, n < cols: a row-major matrix times the transpose of a row-major weight matrix
 * (each output is a contiguous dot product).
 *
 * The bulk runs in 4×4 register blocks (16 accumulators, 8 loads per 16 multiply-adds); the
 * tails in 1×4 (the B = 1 stream step) and 1×1 blocks. Every path sums k = 0 … depth-1 in order
 * from zero and adds the bias last, so one output is bit-identical whichever block computed it:
 * a stream of N steps equals a forward over N steps exactly.
 */
export function gemmTransposed(
  rows: number,
  cols: number,
  depth: number,
  a: Real,
  aOffset: number,
  aStride: number,
  w: Real,
  wOffset: number,
  bias: Real,
  biasOffset: number,
  out: Real,
  outOffset: number,
  outStride: number,
): void {
  const rows4 = rows - (rows & 3);
  const cols4 = cols - (cols & 3);
  for (let r0 = 0; r0 < rows4; r0 += ROW_CHUNK) {
    const r1 = Math.min(rows4, r0 + ROW_CHUNK);
    for (let n = 0; n < cols4; n += 4) {
      const w0 = wOffset + n * depth;
      const w1 = w0 + depth;
      const w2 = w1 + depth;
      const w3 = w2 + depth;
      const b0 = bias[biasOffset + n];
      const b1 = bias[biasOffset + n + 1];
      const b2 = bias[biasOffset + n + 2];
      const b3 = bias[biasOffset + n + 3];
      // biome-ignore format: the 4×4 register block reads best as a grid
      for (let r = r0; r < r1; r += 4) {
        const a0 = aOffset + r * aStride;
        const a1 = a0 + aStride;
        const a2 = a1 + aStride;
        const a3 = a2 + aStride;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let k = 0; k < depth; k++) {
          const x0 = a[a0 + k];
          const x1 = a[a1 + k];
          const x2 = a[a2 + k];
          const x3 = a[a3 + k];
          const v0 = w[w0 + k];
          const v1 = w[w1 + k];
          const v2 = w[w2 + k];
          const v3 = w[w3 + k];
          c00 += x0 * v0; c01 += x0 * v1; c02 += x0 * v2; c03 += x0 * v3;
          c10 += x1 * v0; c11 += x1 * v1; c12 += x1 * v2; c13 += x1 * v3;
          c20 += x2 * v0; c21 += x2 * v1; c22 += x2 * v2; c23 += x2 * v3;
          c30 += x3 * v0; c31 += x3 * v1; c32 += x3 * v2; c33 += x3 * v3;
        }
        let o = outOffset + r * outStride + n;
        out[o] = c00 + b0; out[o + 1] = c01 + b1; out[o + 2] = c02 + b2; out[o + 3] = c03 + b3;
        o += outStride;
        out[o] = c10 + b0; out[o + 1] = c11 + b1; out[o + 2] = c12 + b2; out[o + 3] = c13 + b3;
        o += outStride;
        out[o] = c20 + b0; out[o + 1] = c21 + b1; out[o + 2] = c22 + b2; out[o + 3] = c23 + b3;
        o += outStride;
        out[o] = c30 + b0; out[o + 1] = c31 + b1; out[o + 2] = c32 + b2; out[o + 3] = c33 + b3;
      }
    }
  }
  for (let r = rows4; r < rows; r++) {
    const a0 = aOffset + r * aStride;
    for (let n = 0; n < cols4; n += 4) {
      const w0 = wOffset + n * depth;
      const w1 = w0 + depth;
      const w2 = w1 + depth;
      const w3 = w2 + depth;
      let c0 = 0;
      let c1 = 0;
      let c2 = 0;
      let c3 = 0;
      for (let k = 0; k < depth; k++) {
        const x = a[a0 + k];
        c0 += x * w[w0 + k];
        c1 += x * w[w1 + k];
        c2 += x * w[w2 + k];
        c3 += x * w[w3 + k];
      }
      const o = outOffset + r * outStride + n;
      out[o] = c0 + bias[biasOffset + n];
      out[o + 1] = c1 + bias[biasOffset + n + 1];
      out[o + 2] = c2 + bias[biasOffset + n + 2];
      out[o + 3] = c3 + bias[biasOffset + n + 3];
    }
  }
  // Columns past the last block of 4, for every row, one dot product each.
  if (cols4 < cols) {
    dotBlock(
      0,
      rows,
      cols4,
      cols,
      depth,
      a,
      aOffset,
      aStride,
      w,
      wOffset,
      bias,
      biasOffset,
      out,
      outOffset,
      outStride,
    );
  }
}

/** The 1×1 tail: rows [r0, r1) × columns [n0, n1), one dot product at a time. */
function dotBlock(
  r0: number,
  r1: number,
  n0: number,
  n1: number,
  depth: number,
  a: Real,
  aOffset: number,
  aStride: number,
  w: Real,
  wOffset: number,
  bias: Real,
  biasOffset: number,
  out: Real,
  outOffset: number,
  outStride: number,
): void {
  for (let r = r0; r < r1; r++) {
    const a0 = aOffset + r * aStride;
    for (let n = n0; n < n1; n++) {
      const w0 = wOffset + n * depth;
      let acc = 0;
      for (let k = 0; k < depth; k++) acc += a[a0 + k] * w[w0 + k];
      out[outOffset + r * outStride + n] = acc + bias[biasOffset + n];
    }
  }
}
