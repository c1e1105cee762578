import type { KernelSource } from '../gpu/pipeline-cache.js';
import type { WeightFormat } from '../layer/layer-shape.js';
import { type BindingGroup, declareBindings } from './bindings.js';
import { weightAccessor } from './weight-access.js';

/** Output tile of one workgroup (rows × columns) and the depth of one pass over shared memory. */
export const GEMM_TILE = { rows: 64, cols: 64, depth: 16 } as const;
/** Fewer rows than one tile (a stream step, a short chunk) go to `few_rows`: one thread per
 * output column and FEW_ROWS rows, sharing each weight it loads, no tile of padding. */
export const FEW_ROWS = 4;
export const FEW_ROWS_THREADS = 64;

const GROUP: BindingGroup = [
  { name: 'params', kind: 'uniform', type: 'GemmParams' },
  { name: 'a', kind: 'read', type: 'array<f32>' },
  { name: 'wts', kind: 'read', type: 'array<u32>' },
  { name: 'pre', kind: 'storage', type: 'array<f32>' },
];

/** The input projection of a chunk of steps (one shader module, two entry points):
 * `main`, a tiled GEMM: pre[r, n] = Σ_k a[r, k]·W_ih[n, k]
 * + bias[n] for r < rows (= steps·B), n < G·H. Each workgroup stages 64×16 of a and 16×64 of
 * W_ihᵀ in workgroup memory per pass; each of its 16×16 threads keeps a 4×4 block of sums. Every
 * sum runs k = 0 … I−1 in order and adds the bias last (padding past I adds exact zeros), so
 * the result does not depend on the tiling; `few_rows` sums the same terms in the same order.
 * Sizes are parameters, not constants: one pipeline per weight format and entry point serves
 * every layer. */
export function gemmKernel(format: WeightFormat, entryPoint: 'main' | 'few_rows'): KernelSource {
  const { rows: TM, cols: TN, depth: TK } = GEMM_TILE;
  const code = /* wgsl */ `
struct GemmParams { rows: u32, a_offset: u32, k: u32, n: u32, bias_offset: u32, pad0: u32, pad1: u32, pad2: u32 }
${declareBindings([GROUP])}
const TM: u32 = ${TM}u;
const TN: u32 = ${TN}u;
const TK: u32 = ${TK}u;
${weightAccessor(format)}

var<workgroup> tile_a: array<f32, TM * TK>;
var<workgroup> tile_w: array<f32, TK * TN>;

@compute @workgroup_size(16, 16)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(local_invocation_id) lid: vec3<u32>,
  @builtin(local_invocation_index) index: u32,
) {
  let K = params.k;
  let N = params.n;
  let row0 = wid.y * TM;
  let col0 = wid.x * TN;
  var acc: array<f32, 16>;
  for (var k0 = 0u; k0 < K; k0 += TK) {
    for (var i = 0u; i < 4u; i++) {
      let e = index + i * 256u;
      let row = row0 + e / TK;
      let ka = k0 + e % TK;
      let va = a[params.a_offset + min(row, params.rows - 1u) * K + min(ka, K - 1u)];
      tile_a[e] = select(0.0, va, row < params.rows && ka < K);
      let kw = k0 + e / TN;
      let col = col0 + e % TN;
      let vw = weight(0u, N, min(kw, K - 1u), min(col, N - 1u));
      tile_w[e] = select(0.0, vw, kw < K && col < N);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var w: array<f32, 4>;
      for (var jj = 0u; jj < 4u; jj++) { w[jj] = tile_w[kk * TN + lid.x * 4u + jj]; }
      for (var ii = 0u; ii < 4u; ii++) {
        let av = tile_a[(lid.y * 4u + ii) * TK + kk];
        for (var jj = 0u; jj < 4u; jj++) { acc[ii * 4u + jj] += av * w[jj]; }
      }
    }
    workgroupBarrier();
  }
  for (var ii = 0u; ii < 4u; ii++) {
    let row = row0 + lid.y * 4u + ii;
    for (var jj = 0u; jj < 4u; jj++) {
      let col = col0 + lid.x * 4u + jj;
      if (row < params.rows && col < N) {
        pre[row * N + col] = acc[ii * 4u + jj] + bitcast<f32>(wts[params.bias_offset + col]);
      }
    }
  }
}`;
  return { code: code + FEW_ROWS_ENTRY, entryPoint, groups: [GROUP] };
}

const FEW_ROWS_ENTRY = /* wgsl */ `

@compute @workgroup_size(${FEW_ROWS_THREADS})
fn few_rows(@builtin(global_invocation_id) id: vec3<u32>) {
  let n = id.x;
  let r0 = id.y * ${FEW_ROWS}u;
  if (n >= params.n || r0 >= params.rows) { return; }
  let K = params.k;
  let last = params.rows - 1u;
  let a0 = params.a_offset + r0 * K;
  let a1 = params.a_offset + min(r0 + 1u, last) * K;
  let a2 = params.a_offset + min(r0 + 2u, last) * K;
  let a3 = params.a_offset + min(r0 + 3u, last) * K;
  var s0 = 0.0; var s1 = 0.0; var s2 = 0.0; var s3 = 0.0;
  for (var k = 0u; k < K; k++) {
    let w = weight(0u, params.n, k, n);
    s0 += a[a0 + k] * w;
    s1 += a[a1 + k] * w;
    s2 += a[a2 + k] * w;
    s3 += a[a3 + k] * w;
  }
  let bias = bitcast<f32>(wts[params.bias_offset + n]);
  pre[r0 * params.n + n] = s0 + bias;
  if (r0 + 1u <= last) { pre[(r0 + 1u) * params.n + n] = s1 + bias; }
  if (r0 + 2u <= last) { pre[(r0 + 2u) * params.n + n] = s2 + bias; }
  if (r0 + 3u <= last) { pre[(r0 + 3u) * params.n + n] = s3 + bias; }
}`;

export interface GemmParams {
  readonly rows: number;
  readonly aOffset: number;
  readonly depth: number;
  readonly cols: number;
  readonly biasOffset: number;
}

export function gemmParamWords(p: GemmParams): Uint32Array<ArrayBuffer> {
  return Uint32Array.of(p.rows, p.aOffset, p.depth, p.cols, p.biasOffset, 0, 0, 0);
}
