import type { KernelSource } from '../gpu/pipeline-cache.js';
import type { LayerShape } from '../layer/layer-shape.js';
import { type BindingGroup, declareBindings } from './bindings.js';
import { type RecurrenceVariant, recurrenceBindings, recurrenceCommon } from './recurrence-common.js';

/** The per-step index, bound with a dynamic offset of 256·s for step s of a chunk. */
export const STEP_INDEX_GROUP: BindingGroup = [
  { name: 'step_index', kind: 'dynamic-uniform', type: 'vec4<u32>' },
];

/** Bytes between two step indices in the step-index buffer (the largest offset alignment
 * WebGPU allows, so every device accepts it). */
export const STEP_INDEX_STRIDE = 256;

/** The per-step path: one dispatch per step computes every gate of every unit and batch row
 * and updates the state (a second dispatch, `finish`, for a projection or a GRU with
 * resetAfter = false). The state lives in a two-slot scratch buffer, [2, B, Hout], then
 * [B, H] for the second product's input and [B, H] for GRU's z: step s reads slot s mod 2 and
 * writes the other. Threads: x = unit, y = a block of ROWS batch rows sharing each weight load. */
export function stepKernel(
  shape: LayerShape,
  variant: RecurrenceVariant,
  entry: 'gates' | 'finish',
): KernelSource {
  const groups = [recurrenceBindings(shape, variant), STEP_INDEX_GROUP];
  const code = /* wgsl */ `
${declareBindings(groups)}
${recurrenceCommon(shape, variant)}

var<private> cur: u32;

fn slot(s: u32) -> u32 { return s * params.batch * HOUT; }
fn h_prev(b: u32, k: u32) -> f32 { return state[slot(cur) + b * HOUT + k]; }
fn h_set(b: u32, j: u32, v: f32) { state[slot(1u - cur) + b * HOUT + j] = v; }
fn mid_get(b: u32, k: u32) -> f32 { return state[slot(2u) + b * H + k]; }
fn mid_set(b: u32, j: u32, v: f32) { state[slot(2u) + b * H + j] = v; }
fn aux_get(b: u32, j: u32) -> f32 { return state[slot(2u) + (params.batch + b) * H + j]; }
fn aux_set(b: u32, j: u32, v: f32) { state[slot(2u) + (params.batch + b) * H + j] = v; }

@compute @workgroup_size(WG)
fn gates(@builtin(global_invocation_id) id: vec3<u32>) {
  let j = id.x;
  let b0 = id.y * ROWS;
  if (j >= H || b0 >= params.batch) { return; }
  let s = step_index.x;
  cur = (params.parity + s) & 1u;
  let t = step_time(s);
  let acc = dot_h(b0, j);
  for (var q = 0u; q < ROWS; q++) {
    if (b0 + q < params.batch) { phase1(t, t - params.first, b0 + q, j, gates_of(acc, q)); }
  }
}
${shape.second === null ? '' : FINISH}`;
  return { code, entryPoint: entry, groups };
}

const FINISH = /* wgsl */ `
@compute @workgroup_size(WG)
fn finish(@builtin(global_invocation_id) id: vec3<u32>) {
  let m = id.x;
  let b0 = id.y * ROWS;
  if (m >= M2 || b0 >= params.batch) { return; }
  let s = step_index.x;
  cur = (params.parity + s) & 1u;
  let t = step_time(s);
  let acc = dot_mid(b0, m);
  for (var q = 0u; q < ROWS; q++) {
    if (b0 + q < params.batch) { phase2(t, t - params.first, b0 + q, m, acc[q]); }
  }
}`;

/** Words of the per-step scratch: two state slots, then the second product's input and z. */
export function stepScratchLength(shape: LayerShape, batch: number): number {
  const extra = shape.second === null ? 0 : shape.second === 'resetBefore' ? 2 : 1;
  return batch * (2 * shape.outputSize + extra * shape.hiddenSize);
}
