import { type LayerShape, weightLayout } from '../layer/layer-shape.js';
import { ACTIVATION_HELPERS, activationFunction } from './activations.js';
import type { BindingGroup, BindingSpec } from './bindings.js';
import type { CellCode } from './cells/cell-code.js';
import { gruCell } from './cells/gru.js';
import { lstmCell } from './cells/lstm.js';
import { rnnCell } from './cells/rnn.js';
import { dotH, dotMid } from './dot-products.js';
import { weightAccessor } from './weight-access.js';
import { f32Literal, u32Literal } from './wgsl-literals.js';

/** What varies between kernels of one layer besides its shape. */
export interface RecurrenceVariant {
  /** Write the gate trace. */
  readonly trace: boolean;
  /** Mask steps by per-row lengths. */
  readonly seqLens: boolean;
  /** Batch rows one thread (per-step) or one workgroup (persistent) computes. */
  readonly rows: number;
  /** Threads per workgroup. */
  readonly workgroupSize: number;
}

export function variantKey(variant: RecurrenceVariant): string {
  return `${variant.trace ? 'trace' : ''};${variant.seqLens ? 'lens' : ''};rows${variant.rows};wg${variant.workgroupSize}`;
}

export function cellCode(shape: LayerShape): CellCode {
  if (shape.cell === 'lstm') return lstmCell(shape);
  if (shape.cell === 'gru') return gruCell(shape);
  return rnnCell();
}

/** The per-job values of a recurrence kernel, in `Params` order (all u32). */
export interface RecurrenceParams {
  readonly batch: number;
  /** T of the whole sequence (the trace's time stride). */
  readonly steps: number;
  /** The chunk of steps this dispatch (or run of dispatches) covers. */
  readonly first: number;
  readonly count: number;
  readonly reverse: boolean;
  /** Per-step path: the state slot the chunk's first step reads. */
  readonly parity: number;
  readonly hOffset: number;
  readonly cOffset: number;
  readonly outputStride: number;
  readonly outputOffset: number;
}

export function recurrenceParamWords(p: RecurrenceParams): Uint32Array<ArrayBuffer> {
  return Uint32Array.of(
    p.batch,
    p.steps,
    p.first,
    p.count,
    p.reverse ? 1 : 0,
    p.parity,
    p.hOffset,
    p.cOffset,
    p.outputStride,
    p.outputOffset,
    0,
    0,
  );
}

const PARAMS_STRUCT = /* wgsl */ `struct Params {
  batch: u32, steps: u32, first: u32, count: u32,
  reverse: u32, parity: u32, h_offset: u32, c_offset: u32,
  out_stride: u32, out_offset: u32, pad0: u32, pad1: u32,
}`;

/** Group 0 of a recurrence kernel: `state` is the family's h storage (the job's h for the
 * persistent kernel, a two-slot scratch for the per-step one). Optional bindings exist only in
 * the variants that use them. */
export function recurrenceBindings(shape: LayerShape, variant: RecurrenceVariant): BindingGroup {
  const specs: BindingSpec[] = [
    { name: 'params', kind: 'uniform', type: 'Params' },
    { name: 'pre', kind: 'read', type: 'array<f32>' },
    { name: 'wts', kind: 'read', type: 'array<u32>' },
    { name: 'state', kind: 'storage', type: 'array<f32>' },
    { name: 'outbuf', kind: 'storage', type: 'array<f32>' },
  ];
  if (cellCode(shape).usesC) specs.push({ name: 'cbuf', kind: 'storage', type: 'array<f32>' });
  if (variant.trace) specs.push({ name: 'trace_buf', kind: 'storage', type: 'array<f32>' });
  if (variant.seqLens) specs.push({ name: 'lens', kind: 'read', type: 'array<u32>' });
  return specs;
}

/** Constants, activations, weight accessors, the common accessors, the two dot products and
 * the cell's math: everything both kernel families share. */
export function recurrenceCommon(shape: LayerShape, variant: RecurrenceVariant): string {
  const layout = weightLayout(shape);
  const cell = cellCode(shape);
  const H = shape.hiddenSize;
  const secondOutputs = shape.second === 'projection' ? shape.outputSize : H;
  const clip =
    shape.clip === null
      ? 'fn clip(x: f32) -> f32 { return x; }'
      : `fn clip(x: f32) -> f32 { return clamp(x, -${f32Literal(shape.clip)}, ${f32Literal(shape.clip)}); }`;
  return /* wgsl */ `
${PARAMS_STRUCT}
${ACTIVATION_HELPERS}
const H: u32 = ${u32Literal(H)};
const HOUT: u32 = ${u32Literal(shape.outputSize)};
const GH: u32 = ${u32Literal(shape.gateWidth)};
const GA: u32 = ${u32Literal(shape.productsFromH)};
const M2: u32 = ${u32Literal(secondOutputs)};
const HAS_PHASE2: bool = ${shape.second !== null};
const ROWS: u32 = ${u32Literal(variant.rows)};
const WG: u32 = ${u32Literal(variant.workgroupSize)};
const TRACE_COUNT: u32 = ${u32Literal(cell.traceCount)};
const W2_OFFSET: u32 = ${u32Literal(layout.projection)};
const BHN_OFFSET: u32 = ${u32Literal(layout.hiddenBiasN)};
const PEEP_OFFSET: u32 = ${u32Literal(layout.peephole)};

${activationFunction('act_gate', shape.gate)}
${activationFunction('act_cand', shape.candidate)}
${activationFunction('act_cell', shape.cellActivation)}
${clip}
${weightAccessor(shape.format)}
fn w_hh(k: u32, n: u32) -> f32 { return weight(0u, GH, k, n); }
fn bias_hn(j: u32) -> f32 { return bitcast<f32>(wts[BHN_OFFSET + j]); }
fn peep(g: u32, j: u32) -> f32 { return bitcast<f32>(wts[PEEP_OFFSET + g * H + j]); }

fn pre_at(tp: u32, b: u32, n: u32) -> f32 { return pre[(tp * params.batch + b) * GH + n]; }
fn out_at(t: u32, b: u32) -> u32 { return (t * params.batch + b) * params.out_stride + params.out_offset; }
fn step_time(s: u32) -> u32 {
  return select(params.first + s, params.first + params.count - 1u - s, params.reverse == 1u);
}
${cell.usesC ? C_ACCESS : ''}
${variant.trace ? TRACE_WRITE : TRACE_NONE}
${variant.seqLens ? ACTIVE_LENS : ACTIVE_ALL}

${dotH(shape.productsFromH, variant.rows)}
${shape.second === null ? '' : dotMid(variant.rows)}
${cell.code}`;
}

const C_ACCESS = /* wgsl */ `
fn c_get(b: u32, j: u32) -> f32 { return cbuf[params.c_offset + b * H + j]; }
fn c_set(b: u32, j: u32, v: f32) { cbuf[params.c_offset + b * H + j] = v; }`;

const TRACE_WRITE = /* wgsl */ `
fn trace(g: u32, t: u32, b: u32, j: u32, v: f32) {
  trace_buf[((g * params.steps + t) * params.batch + b) * H + j] = v;
}`;

const TRACE_NONE = /* wgsl */ `
fn trace(g: u32, t: u32, b: u32, j: u32, v: f32) {}`;

const ACTIVE_LENS = /* wgsl */ `
fn is_active(t: u32, b: u32) -> bool { return t < lens[b]; }`;

const ACTIVE_ALL = /* wgsl */ `
fn is_active(t: u32, b: u32) -> bool { return true; }`;
