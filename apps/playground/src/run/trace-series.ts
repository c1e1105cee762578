import type { GateTrace } from '@gated/core';
import type { LoadedModel } from '../models/loaded-model.js';
import { gatesOf } from '../views/gate-info.js';
import type { RunResult } from './run-forward.js';

/** One value traced over time: [steps, units] row-major, batch of one. */
export interface Series {
  readonly key: string;
  readonly values: Float32Array;
  readonly steps: number;
  readonly units: number;
}

/** The last layer's h of one direction, read from the model's output [T, D·Hout]. */
function hFromOutput(result: RunResult, direction: number, units: number): Float32Array {
  const out = new Float32Array(result.steps * units);
  for (let t = 0; t < result.steps; t++) {
    const row = t * result.outputWidth + direction * units;
    out.set(result.output.subarray(row, row + units), t * units);
  }
  return out;
}

/** h of a lower layer from its gates: LSTM o ⊙ tanh(c); GRU (1 − z) ⊙ n + z ⊙ h(t−1) from h0 = 0
 * (forward order; the reverse direction runs from the last step). */
function hFromGates(cell: string, trace: GateTrace, steps: number, units: number): Float32Array {
  const v = trace.values;
  const out = new Float32Array(steps * units);
  if (cell === 'lstm') {
    for (let k = 0; k < out.length; k++) out[k] = v.o.data[k] * Math.tanh(v.c.data[k]);
    return out;
  }
  const order = trace.direction === 0 ? [...Array(steps).keys()] : [...Array(steps).keys()].reverse();
  let previous = new Float32Array(units);
  for (const t of order) {
    for (let j = 0; j < units; j++) {
      const k = t * units + j;
      out[k] = (1 - v.z.data[k]) * v.n.data[k] + v.z.data[k] * previous[j];
    }
    previous = out.slice(t * units, (t + 1) * units);
  }
  return out;
}

/** Every traced value of trace `index` (gates, c, h), in the order gatesOf lists them. */
export function seriesOf(result: RunResult, model: LoadedModel, index: number): Series[] {
  const trace = result.gates[index];
  if (!trace) return [];
  const cell = model.config.cell;
  const layers = Number(model.config.numLayers ?? 1);
  const series: Series[] = [];
  for (const info of gatesOf(cell)) {
    const traced = trace.values[info.key];
    if (traced) {
      series.push({ key: info.key, values: traced.data, steps: result.steps, units: traced.shape[2] });
      continue;
    }
    if (info.key !== 'h') continue;
    const lastLayer = trace.layer === layers - 1;
    const directions = model.config.bidirectional ? 2 : 1;
    const units = lastLayer
      ? result.outputWidth / directions
      : (Object.values(trace.values)[0]?.shape[2] ?? 0);
    const values = lastLayer
      ? hFromOutput(result, trace.direction, units)
      : hFromGates(cell, trace, result.steps, units);
    series.push({ key: 'h', values, steps: result.steps, units });
  }
  return series;
}
