import type { Real } from './real.js';

/** Rows of `a` per pass over the weights, as in gemm.ts. */
const ROW_CHUNK = 64;
/** Rows of the shared dimension per pass of `gemmTransposedLeftAdd`: a [128, ≤ 256] block of b
 * (≤ 128 KB in f32) stays in L2 while every 4 columns of a stream past it. */
const DEPTH_CHUNK = 128;

/**
 * out[outOffset + r·outStride + n] += Σ_k a[aOffset + r·aStride + k] · w[wOffset + n·wStride + k]
 * for r < rows, n < cols, k < depth: A·Wᵀ added into `out` (the backward's dh_prev = dA·W_hh and
 * dx = dA·W_ih, with W stored transposed). 4×4 register blocks, 1×4 and 1×1 tails.
 */
export function gemmTransposedAdd(
  rows: number,
  cols: number,
  depth: number,
  a: Real,
  aOffset: number,
  aStride: number,
  w: Real,
  wOffset: number,
  wStride: number,
  out: Real,
  outOffset: number,
  outStride: number,
): void {
  const rows4 = rows - (rows & 3);
  const cols4 = cols - (cols & 3);
  for (let r0 = 0; r0 < rows4; r0 += ROW_CHUNK) {
    const r1 = Math.min(rows4, r0 + ROW_CHUNK);
    for (let n = 0; n < cols4; n += 4) {
      const w0 = wOffset + n * wStride;
      const w1 = w0 + wStride;
      const w2 = w1 + wStride;
      const w3 = w2 + wStride;
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
        out[o] += c00; out[o + 1] += c01; out[o + 2] += c02; out[o + 3] += c03;
        o += outStride;
        out[o] += c10; out[o + 1] += c11; out[o + 2] += c12; out[o + 3] += c13;
        o += outStride;
        out[o] += c20; out[o + 1] += c21; out[o + 2] += c22; out[o + 3] += c23;
        o += outStride;
        out[o] += c30; out[o + 1] += c31; out[o + 2] += c32; out[o + 3] += c33;
      }
    }
  }
  for (let r = rows4; r < rows; r++) {
    const a0 = aOffset + r * aStride;
    for (let n = 0; n < cols4; n += 4) {
      const w0 = wOffset + n * wStride;
      const w1 = w0 + wStride;
      const w2 = w1 + wStride;
      const w3 = w2 + wStride;
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
      out[o] += c0;
      out[o + 1] += c1;
      out[o + 2] += c2;
      out[o + 3] += c3;
    }
  }
  for (let r = 0; r < rows; r++) {
    const a0 = aOffset + r * aStride;
    for (let n = cols4; n < cols; n++) {
      const w0 = wOffset + n * wStride;
      let acc = 0;
      for (let k = 0; k < depth; k++) acc += a[a0 + k] * w[w0 + k];
      out[outOffset + r * outStride + n] += acc;
    }
  }
}

/**
 * out[outOffset + m·outStride + n] += Σ_k a[aOffset + k·aStride + m] · b[bOffset + k·bStride + n]
 * for m < rows, n < cols, k < depth: Aᵀ·B added into `out`, both operands read row by row as
 * they lie (the weight gradients dW = dAᵀ·X over all T·B rows of a sequence, no transposed
 * copy). 4×4 register blocks over (m, n) run down chunks of the k rows.
 */
export function gemmTransposedLeftAdd(
  rows: number,
  cols: number,
  depth: number,
  a: Real,
  aOffset: number,
  aStride: number,
  b: Real,
  bOffset: number,
  bStride: number,
  out: Real,
  outOffset: number,
  outStride: number,
): void {
  const rows4 = rows - (rows & 3);
  const cols4 = cols - (cols & 3);
  for (let k0 = 0; k0 < depth; k0 += DEPTH_CHUNK) {
    const k1 = Math.min(depth, k0 + DEPTH_CHUNK);
    for (let m = 0; m < rows4; m += 4) {
      // biome-ignore format: the 4×4 register block reads best as a grid
      for (let n = 0; n < cols4; n += 4) {
        let ak = aOffset + k0 * aStride + m;
        let bk = bOffset + k0 * bStride + n;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let k = k0; k < k1; k++) {
          const x0 = a[ak];
          const x1 = a[ak + 1];
          const x2 = a[ak + 2];
          const x3 = a[ak + 3];
          const v0 = b[bk];
          const v1 = b[bk + 1];
          const v2 = b[bk + 2];
          const v3 = b[bk + 3];
          c00 += x0 * v0; c01 += x0 * v1; c02 += x0 * v2; c03 += x0 * v3;
          c10 += x1 * v0; c11 += x1 * v1; c12 += x1 * v2; c13 += x1 * v3;
          c20 += x2 * v0; c21 += x2 * v1; c22 += x2 * v2; c23 += x2 * v3;
          c30 += x3 * v0; c31 += x3 * v1; c32 += x3 * v2; c33 += x3 * v3;
          ak += aStride;
          bk += bStride;
        }
        let o = outOffset + m * outStride + n;
        out[o] += c00; out[o + 1] += c01; out[o + 2] += c02; out[o + 3] += c03;
        o += outStride;
        out[o] += c10; out[o + 1] += c11; out[o + 2] += c12; out[o + 3] += c13;
        o += outStride;
        out[o] += c20; out[o + 1] += c21; out[o + 2] += c22; out[o + 3] += c23;
        o += outStride;
        out[o] += c30; out[o + 1] += c31; out[o + 2] += c32; out[o + 3] += c33;
      }
      // Columns past the last block of 4, for these 4 rows.
      for (let n = cols4; n < cols; n++) {
        let ak = aOffset + k0 * aStride + m;
        let bk = bOffset + k0 * bStride + n;
        let c0 = 0;
        let c1 = 0;
        let c2 = 0;
        let c3 = 0;
        for (let k = k0; k < k1; k++) {
          const v = b[bk];
          c0 += a[ak] * v;
          c1 += a[ak + 1] * v;
          c2 += a[ak + 2] * v;
          c3 += a[ak + 3] * v;
          ak += aStride;
          bk += bStride;
        }
        const o = outOffset + m * outStride + n;
        out[o] += c0;
        out[o + outStride] += c1;
        out[o + 2 * outStride] += c2;
        out[o + 3 * outStride] += c3;
      }
    }
    // Rows past the last block of 4, every column.
    for (let m = rows4; m < rows; m++) {
      for (let n = 0; n < cols; n++) {
        let ak = aOffset + k0 * aStride + m;
        let bk = bOffset + k0 * bStride + n;
        let acc = 0;
        for (let k = k0; k < k1; k++) {
          acc += a[ak] * b[bk];
          ak += aStride;
          bk += bStride;
        }
        out[outOffset + m * outStride + n] += acc;
      }
    }
  }
}

/** sums[sumsOffset + n] += Σ_r a[aOffset + r·aStride + n] for n < cols: the bias gradients,
 * summed in double whatever the buffers hold. */
export function addColumnSums(
  rows: number,
  cols: number,
  a: Real,
  aOffset: number,
  aStride: number,
  sums: Float64Array,
  sumsOffset: number,
): void {
  for (let r = 0; r < rows; r++) {
    const row = aOffset + r * aStride;
    for (let n = 0; n < cols; n++) sums[sumsOffset + n] += a[row + n];
  }
}
