import {
  type ForwardResult,
  outputSize,
  type RecurrentModel,
  type StreamState,
  type Tensor,
} from '@gated/core';
import type { CaseData } from '../cases/conformance-case.js';
import { type Comparison, compareWithTolerance, type Tolerance } from '../tolerance.js';
import { foldComparisons } from './check-forward.js';
import type { CheckResult } from './report.js';

/** x_t [B, I] out of x [T, B, I] or [B, T, I]. */
function stepInput(x: Tensor, t: number, batchFirst: boolean): Tensor {
  const [T, B, I] = batchFirst ? [x.shape[1], x.shape[0], x.shape[2]] : x.shape;
  const data = new Float32Array(B * I);
  for (let b = 0; b < B; b++) {
    const row = batchFirst ? b * T + t : t * B + b;
    data.set(x.data.subarray(row * I, (row + 1) * I), b * I);
  }
  return { data, shape: [B, I] };
}

/** Row t of a unidirectional output as [B, Hout]. */
function outputRow(output: Tensor, t: number, batchFirst: boolean): Float32Array {
  const [T, B, Hout] = batchFirst ? [output.shape[1], output.shape[0], output.shape[2]] : output.shape;
  const row = new Float32Array(B * Hout);
  for (let b = 0; b < B; b++) {
    const r = batchFirst ? b * T + t : t * B + b;
    row.set(output.data.subarray(r * Hout, (r + 1) * Hout), b * Hout);
  }
  return row;
}

/** N stream steps must equal one forward over N steps; state() must equal the forward's final
 * h/c; reset(state) must restore that state exactly. Unidirectional models only. */
export async function checkStreamAgainstForward(
  model: RecurrentModel,
  data: CaseData,
  tolerance: Tolerance,
  caseForward: ForwardResult,
): Promise<CheckResult> {
  const { config } = model;
  if (config.bidirectional) return { status: 'n/a', message: 'bidirectional models cannot stream' };
  const { h0, c0 } = data.options;
  // The stream has no seqLens: compare with a forward over every step.
  const forward = data.options.seqLens ? await model.forward(data.x, { h0, c0 }) : caseForward;
  const T = config.batchFirst ? data.x.shape[1] : data.x.shape[0];
  const B = config.batchFirst ? data.x.shape[0] : data.x.shape[1];
  const initial: Partial<StreamState> | undefined = h0 || c0 ? { h: h0, c: c0 } : undefined;

  const stream = model.stream({ batch: B });
  try {
    if (initial) await stream.reset(initial);
    const parts: { name: string; comparison: Comparison }[] = [];
    let first: Float32Array | null = null;
    for (let t = 0; t < T; t++) {
      const y = await stream.step(stepInput(data.x, t, config.batchFirst));
      if (t === 0) first = y.data.slice();
      parts.push({
        name: `step ${t}`,
        comparison: compareWithTolerance(y.data, outputRow(forward.output, t, config.batchFirst), tolerance),
      });
    }
    const state = await stream.state();
    parts.push({
      name: 'state().h',
      comparison: compareWithTolerance(state.h.data, forward.h.data, tolerance),
    });
    if (forward.c)
      parts.push({
        name: 'state().c',
        comparison: compareWithTolerance(state.c?.data ?? [], forward.c.data, tolerance),
      });

    await stream.reset(initial);
    const restored = await stream.state();
    const L = config.numLayers;
    const zerosH = new Float32Array(L * B * outputSize(config));
    const zerosC = new Float32Array(L * B * config.hiddenSize);
    const exact = { abs: 0, rel: 0, reason: 'reset restores the state exactly' };
    parts.push({
      name: 'state() after reset',
      comparison: compareWithTolerance(restored.h.data, h0?.data ?? zerosH, exact),
    });
    if (config.cell === 'lstm') {
      parts.push({
        name: 'state().c after reset',
        comparison: compareWithTolerance(restored.c?.data ?? [], c0?.data ?? zerosC, exact),
      });
    }
    const again = await stream.step(stepInput(data.x, 0, config.batchFirst));
    parts.push({
      name: 'step 0 after reset',
      comparison: compareWithTolerance(again.data, first ?? [], tolerance),
    });
    return foldComparisons(parts);
  } finally {
    stream.dispose();
  }
}
