// out[m, cols] = init[m, cols] + a[m, 0:k] · wᵀ[0:k, cols] for the 16-column panels p0 ≤ p < p1.
// Weights are packed panel by panel (see src/pack.ts): panel p holds k rows of 16 floats (one
// 64-byte line per k), so the inner loop streams w contiguously and keeps 2 rows × 16 columns in
// eight f32x4 accumulators (on V8/x64 as fast as or faster than 4 rows × 8 columns, which needs
// twice the broadcasts per k). a has row stride lda, init/out have row strides ldInit/ldOut
// (floats); ldInit = 0 broadcasts one bias row to every output row.

const PANEL_BYTES: usize = 64;
/** Rows per tile of a (even): 32 rows × 256 inputs = 32 KiB stays in L1 across all panels. */
const ROW_TILE = 32;

/** acc + x·w. The relaxed-SIMD build (gated-relaxed*.wasm, used only where the engine
 * compiles it) fuses this into one FMA where the hardware has one. */
@inline function fma(acc: v128, x: v128, w: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(x, w, acc);
  return f32x4.add(acc, f32x4.mul(x, w));
}

function block2x16(a: usize, aRow: usize, k: i32, wp: usize, init: usize, initRow: usize, out: usize, outRow: usize): void {
  let c00 = v128.load(init), c01 = v128.load(init, 16), c02 = v128.load(init, 32), c03 = v128.load(init, 48);
  let c10 = v128.load(init + initRow), c11 = v128.load(init + initRow, 16);
  let c12 = v128.load(init + initRow, 32), c13 = v128.load(init + initRow, 48);
  let x0p = a;
  const end = wp + <usize>k * PANEL_BYTES;
  for (let w = wp; w < end; w += PANEL_BYTES) {
    const w0 = v128.load(w), w1 = v128.load(w, 16), w2 = v128.load(w, 32), w3 = v128.load(w, 48);
    const x0 = v128.load32_splat(x0p);
    c00 = fma(c00, x0, w0); c01 = fma(c01, x0, w1); c02 = fma(c02, x0, w2); c03 = fma(c03, x0, w3);
    const x1 = v128.load32_splat(x0p + aRow);
    c10 = fma(c10, x1, w0); c11 = fma(c11, x1, w1); c12 = fma(c12, x1, w2); c13 = fma(c13, x1, w3);
    x0p += 4;
  }
  v128.store(out, c00); v128.store(out, c01, 16); v128.store(out, c02, 32); v128.store(out, c03, 48);
  v128.store(out + outRow, c10); v128.store(out + outRow, c11, 16);
  v128.store(out + outRow, c12, 32); v128.store(out + outRow, c13, 48);
}

/** One row (odd batch sizes, B = 1 streams): four independent accumulator chains. */
function block1x16(a: usize, k: i32, wp: usize, init: usize, out: usize): void {
  let c0 = v128.load(init), c1 = v128.load(init, 16), c2 = v128.load(init, 32), c3 = v128.load(init, 48);
  let x = a;
  const end = wp + <usize>k * PANEL_BYTES;
  for (let w = wp; w < end; w += PANEL_BYTES) {
    const s = v128.load32_splat(x);
    c0 = fma(c0, s, v128.load(w)); c1 = fma(c1, s, v128.load(w, 16));
    c2 = fma(c2, s, v128.load(w, 32)); c3 = fma(c3, s, v128.load(w, 48));
    x += 4;
  }
  v128.store(out, c0); v128.store(out, c1, 16); v128.store(out, c2, 32); v128.store(out, c3, 48);
}

export function gemm(a: usize, lda: i32, m: i32, k: i32, w: usize, p0: i32, p1: i32, init: usize, ldInit: i32, out: usize, ldOut: i32): void {
  gemmPanels(a, lda, m, k, w, <usize>k * PANEL_BYTES, p0, p1, init, ldInit, out, ldOut);
}

/** The body of gemm, with the byte distance between panels given: a packing taller than k (the
 * transposed weights of the backward, k = all gate rows) can be used for a sub-range of its
 * rows (w advanced to the range's first row). */
@inline function gemmPanels(a: usize, lda: i32, m: i32, k: i32, w: usize, panelStride: usize, p0: i32, p1: i32, init: usize, ldInit: i32, out: usize, ldOut: i32): void {
  const aRow = <usize>lda << 2;
  const initRow = <usize>ldInit << 2;
  const outRow = <usize>ldOut << 2;
  const m2 = m & ~1;
  for (let i0 = 0; i0 < m2; i0 += ROW_TILE) {
    const i1 = min(i0 + ROW_TILE, m2);
    for (let p = p0; p < p1; p++) {
      const wp = w + <usize>p * panelStride;
      const col = <usize>p * PANEL_BYTES;
      for (let i = i0; i < i1; i += 2) {
        block2x16(a + <usize>i * aRow, aRow, k, wp, init + <usize>i * initRow + col, initRow, out + <usize>i * outRow + col, outRow);
      }
    }
  }
  if (m2 < m) {
    const ai = a + <usize>m2 * aRow;
    const initI = init + <usize>m2 * initRow;
    const outI = out + <usize>m2 * outRow;
    for (let p = p0; p < p1; p++) {
      const col = <usize>p * PANEL_BYTES;
      block1x16(ai, k, w + <usize>p * panelStride, initI + col, outI + col);
    }
  }
}

/** Rows of k per block in gemmStrided: a 32-row tile of a then holds 32 KiB (L1) even when k is
 * all gate rows (1024 for an LSTM of H = 256). */
const K_BLOCK = 256;

/** out = init + a · w like gemm, for rows k0 … k0 + k − 1 of a packing whose panels are
 * panelStride bytes apart (w points at row k0 of panel 0, a at column k0), in blocks of
 * K_BLOCK rows of k: the first block adds to init, the next ones to out. */
export function gemmStrided(a: usize, lda: i32, m: i32, k: i32, w: usize, panelStride: usize, p0: i32, p1: i32, init: usize, ldInit: i32, out: usize, ldOut: i32): void {
  for (let k0 = 0; k0 < k; k0 += K_BLOCK) {
    const kb = min(K_BLOCK, k - k0);
    const first = k0 == 0;
    gemmPanels(a + (<usize>k0 << 2), lda, m, kb, w + <usize>k0 * PANEL_BYTES, panelStride, p0, p1, first ? init : out, first ? ldInit : ldOut, out, ldOut);
  }
}

/** Rows of m per block in gemmTN. */
const M_BLOCK = 128;

/** out[i, c] += Σ_r a[r, i] · b[r, c] for i < n (even) and c < 16 · panels: the weight
 * gradients (a = the gate gradients of every step and batch row, b = the layer input or the
 * previous states). a is [m, lda], b [m, ldb] (16 · panels columns readable), out [n, ldOut].
 * Each block of M_BLOCK rows is first packed into `pack` (n · M_BLOCK + 16 · panels · M_BLOCK
 * floats): a's column pairs and b's 16-column panels each contiguous, so the micro-kernel
 * streams memory instead of striding through rows 4 KiB apart (which thrashed L1's sets:
 * 22 GFLOP/s unpacked against 34 for gemm on the same machine). */
export function gemmTN(a: usize, lda: i32, m: i32, n: i32, b: usize, ldb: i32, panels: i32, out: usize, ldOut: i32, pack: usize): void {
  const aRow = <usize>lda << 2;
  const bRow = <usize>ldb << 2;
  const outRow = <usize>ldOut << 2;
  const aPack = pack;
  const bPack = pack + ((<usize>n * M_BLOCK) << 2);
  for (let m0 = 0; m0 < m; m0 += M_BLOCK) {
    const mb = min(M_BLOCK, m - m0);
    const pairBytes = <usize>mb << 3;
    const panelBytes = <usize>mb * PANEL_BYTES;
    // a's rows → pairs of columns, each pair's mb values contiguous ([n/2][mb][2]).
    for (let r = 0; r < mb; r++) {
      const ar = a + <usize>(m0 + r) * aRow;
      const dst = aPack + (<usize>r << 3);
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const v = v128.load(ar + (<usize>i << 2));
        const at = dst + <usize>(i >> 1) * pairBytes;
        store<i64>(at, i64x2.extract_lane(v, 0));
        store<i64>(at + pairBytes, i64x2.extract_lane(v, 1));
      }
      if (i < n) store<i64>(dst + <usize>(i >> 1) * pairBytes, load<i64>(ar + (<usize>i << 2)));
    }
    // b's rows → 16-column panels, each panel's mb rows contiguous ([panels][mb][16]).
    for (let r = 0; r < mb; r++) {
      const br = b + <usize>(m0 + r) * bRow;
      const dst = bPack + <usize>r * PANEL_BYTES;
      for (let p = 0; p < panels; p++) {
        const src = br + <usize>p * PANEL_BYTES;
        const to = dst + <usize>p * panelBytes;
        v128.store(to, v128.load(src));
        v128.store(to, v128.load(src, 16), 16);
        v128.store(to, v128.load(src, 32), 32);
        v128.store(to, v128.load(src, 48), 48);
      }
    }
    for (let p = 0; p < panels; p++) {
      const col = <usize>p * PANEL_BYTES;
      const bp = bPack + <usize>p * panelBytes;
      for (let i = 0; i < n; i += 2) {
        blockTN(aPack + <usize>(i >> 1) * pairBytes, 8, mb, bp, PANEL_BYTES, out + <usize>i * outRow + col, outRow);
      }
    }
  }
}

function blockTN(a: usize, aRow: usize, m: i32, b: usize, bRow: usize, out: usize, outRow: usize): void {
  let c00 = v128.load(out), c01 = v128.load(out, 16), c02 = v128.load(out, 32), c03 = v128.load(out, 48);
  let c10 = v128.load(out + outRow), c11 = v128.load(out + outRow, 16);
  let c12 = v128.load(out + outRow, 32), c13 = v128.load(out + outRow, 48);
  let ap = a;
  let bp = b;
  for (let r = 0; r < m; r++) {
    const w0 = v128.load(bp), w1 = v128.load(bp, 16), w2 = v128.load(bp, 32), w3 = v128.load(bp, 48);
    const x0 = v128.load32_splat(ap);
    c00 = fma(c00, x0, w0); c01 = fma(c01, x0, w1); c02 = fma(c02, x0, w2); c03 = fma(c03, x0, w3);
    const x1 = v128.load32_splat(ap, 4);
    c10 = fma(c10, x1, w0); c11 = fma(c11, x1, w1); c12 = fma(c12, x1, w2); c13 = fma(c13, x1, w3);
    ap += aRow;
    bp += bRow;
  }
  v128.store(out, c00); v128.store(out, c01, 16); v128.store(out, c02, 32); v128.store(out, c03, 48);
  v128.store(out + outRow, c10); v128.store(out + outRow, c11, 16);
  v128.store(out + outRow, c12, 32); v128.store(out + outRow, c13, 48);
}
