import type { KernelSource } from '../gpu/pipeline-cache.js';
import type { LayerShape } from '../layer/layer-shape.js';
import { declareBindings } from './bindings.js';
import { type RecurrenceVariant, recurrenceBindings, recurrenceCommon } from './recurrence-common.js';

/** The persistent path: one workgroup per block of ROWS batch rows runs every step of a chunk
 * in a loop, with h in workgroup memory (two slots: a step reads one and writes the other, so
 * one barrier per step suffices; a second product adds one more) and c, owned by one thread per
 * unit, in the job's buffer. A chunk is one dispatch instead of one (or two) per step. */
export function persistentKernel(shape: LayerShape, variant: RecurrenceVariant): KernelSource {
  const groups = [recurrenceBindings(shape, variant)];
  const midLength = shape.second === null ? 1 : variant.rows * shape.hiddenSize;
  const auxLength = shape.second === 'resetBefore' ? variant.rows * shape.hiddenSize : 1;
  const code = /* wgsl */ `
${declareBindings(groups)}
${recurrenceCommon(shape, variant)}

var<workgroup> hs: array<f32, 2u * ROWS * HOUT>;
var<workgroup> mid: array<f32, ${midLength}u>;
var<workgroup> aux: array<f32, ${auxLength}u>;
var<private> cur: u32;
var<private> wb0: u32;

fn h_prev(b: u32, k: u32) -> f32 { return hs[(cur * ROWS + b - wb0) * HOUT + k]; }
fn h_set(b: u32, j: u32, v: f32) { hs[((1u - cur) * ROWS + b - wb0) * HOUT + j] = v; }
fn mid_get(b: u32, k: u32) -> f32 { return mid[(b - wb0) * H + k]; }
fn mid_set(b: u32, j: u32, v: f32) { mid[(b - wb0) * H + j] = v; }
fn aux_get(b: u32, j: u32) -> f32 { return aux[(b - wb0) * H + j]; }
fn aux_set(b: u32, j: u32, v: f32) { aux[(b - wb0) * H + j] = v; }

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  wb0 = wid.x * ROWS;
  cur = 0u;
  for (var i = lid; i < ROWS * HOUT; i += WG) {
    let b = min(wb0 + i / HOUT, params.batch - 1u);
    hs[i] = state[params.h_offset + b * HOUT + i % HOUT];
  }
  workgroupBarrier();
  for (var s = 0u; s < params.count; s++) {
    let t = step_time(s);
    let tp = t - params.first;
    for (var j = lid; j < H; j += WG) {
      let acc = dot_h(wb0, j);
      for (var q = 0u; q < ROWS; q++) {
        if (wb0 + q < params.batch) { phase1(t, tp, wb0 + q, j, gates_of(acc, q)); }
      }
    }
    ${shape.second === null ? '' : SECOND_PHASE}
    workgroupBarrier();
    cur = 1u - cur;
  }
  for (var i = lid; i < ROWS * HOUT; i += WG) {
    let b = wb0 + i / HOUT;
    if (b < params.batch) { state[params.h_offset + b * HOUT + i % HOUT] = hs[cur * ROWS * HOUT + i]; }
  }
}`;
  return { code, entryPoint: 'main', groups };
}

const SECOND_PHASE = /* wgsl */ `workgroupBarrier();
    for (var m = lid; m < M2; m += WG) {
      let acc = dot_mid(wb0, m);
      for (var q = 0u; q < ROWS; q++) {
        if (wb0 + q < params.batch) { phase2(t, tp, wb0 + q, m, acc[q]); }
      }
    }`;

/** Bytes of workgroup memory the persistent kernel needs for `rows` batch rows. */
export function persistentWorkgroupBytes(shape: LayerShape, rows: number): number {
  const mid = shape.second === null ? 1 : rows * shape.hiddenSize;
  const aux = shape.second === 'resetBefore' ? rows * shape.hiddenSize : 1;
  return 4 * (2 * rows * shape.outputSize + mid + aux);
}
