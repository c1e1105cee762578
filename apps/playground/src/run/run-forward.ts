import type { GateTrace, Tensor } from '@gated/core';
import type { BackendPool } from '../backends/backend-pool.js';
import { applyHead } from '../models/linear-head.js';
import type { LoadedModel } from '../models/loaded-model.js';

/** One forward of the current input on one backend, as the views show it. */
export interface RunResult {
  readonly backendId: string;
  readonly backendName: string;
  readonly steps: number;
  /** The model's output [T, D·Hout] (batch of one). */
  readonly output: Float32Array;
  readonly outputWidth: number;
  /** The linear head over the output [T, classes], when the model has one. */
  readonly logits: Float32Array | null;
  /** Gate traces: this backend's, or (when it returns none) the ts backend's of the same input. */
  readonly gates: readonly GateTrace[];
  readonly gatesFrom: string;
  /** Milliseconds of this backend's forward (with the gate trace when it returns one). */
  readonly ms: number;
  /** The first forward after compile (includes shader compiles and warm-up). */
  readonly firstCall: boolean;
}

const callCounts = new WeakMap<object, number>();

/** Runs x on backend `id`; gates from the ts backend when this one returns no trace (ONNX's
 * LSTM/GRU ops have no gate outputs). */
export async function runForward(
  pool: BackendPool,
  id: string,
  model: LoadedModel,
  x: Tensor,
): Promise<RunResult> {
  const backend = await pool.backend(id);
  const compiled = await pool.compiledModel(id, model);
  const returnGates = backend.capabilities.features.includes('returnGates');
  const started = performance.now();
  const result = await compiled.forward(x, { returnGates });
  const ms = performance.now() - started;
  const calls = callCounts.get(compiled) ?? 0;
  callCounts.set(compiled, calls + 1);
  let gates = result.gates ?? [];
  let gatesFrom = id;
  if (!returnGates) {
    const ts = await pool.compiledModel('ts', model);
    gates = (await ts.forward(x, { returnGates: true })).gates ?? [];
    gatesFrom = 'ts';
  }
  const steps = x.shape[0];
  const outputWidth = result.output.shape[2];
  const output = result.output.data;
  const fitsHead = model.head !== null && model.head.weight.length === model.head.bias.length * outputWidth;
  return {
    backendId: id,
    backendName: backend.name,
    steps,
    output,
    outputWidth,
    logits: fitsHead && model.head ? applyHead(model.head, output, steps) : null,
    gates,
    gatesFrom,
    ms,
    firstCall: calls === 0,
  };
}

/** Largest |a − b| over two equally long arrays (Infinity when their lengths differ). */
export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let k = 0; k < a.length; k++) max = Math.max(max, Math.abs(a[k] - b[k]));
  return max;
}
