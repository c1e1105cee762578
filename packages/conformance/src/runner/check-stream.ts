import {
  type ForwardResult,
  outputSize,
  type RecurrentModel,
  type StreamState,
  type Tensor,
} from '@gated/core';
import type { CaseData } from '../cases/conformance-case.js';
import type { ReferenceResult } from '../reference/reference-forward.js';
import type { Tolerance } from '../tolerance.js';
import { compareTensor, foldComparisons, resultOf, type TensorComparison } from './mismatch.js';
import type { CheckResult } from './report.js';
import { cLayout, hLayout, streamLayout } from './tensor-layout.js';

const REFERENCE = 'the reference';
const OWN_FORWARD = "this backend's own forward";
const EXACT: Tolerance = { abs: 0, rel: 0, reason: 'reset restores the state exactly' };

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

/** A unidirectional output [T, B, Hout] or [B, T, Hout] as time-major [T, B, Hout]. */
function timeMajor(data: ArrayLike<number>, T: number, B: number, Hout: number, batchFirst: boolean) {
  if (!batchFirst) return data;
  const out = new Float64Array(T * B * Hout);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < Hout; j++) out[(t * B + b) * Hout + j] = data[(b * T + t) * Hout + j];
    }
  }
  return out;
}

/** `part`'s problem, plus a note when the other comparison passed: an author then sees
 * whether the stream or the forward is the one that is wrong. */
function withHint(part: TensorComparison, other: TensorComparison, hint: string): TensorComparison {
  if (part.problem === null || other.problem !== null) return part;
  return { ...part, problem: `${part.problem}\n(${hint})` };
}

/** What the stream is compared with: the reference and this backend's own forward, both over
 * every step (a stream has no seqLens) from the case's h0/c0. */
export interface StreamExpectations {
  readonly reference: ReferenceResult;
  /** Called only when the check runs (with seqLens it is a forward of its own). */
  readonly ownForward: () => Promise<ForwardResult>;
}

/** T stream steps must equal the reference over T steps and this backend's own forward;
 * state() must equal their final h/c; reset(state) must restore that state exactly and
 * repeat step 0. Unidirectional models only. Naming both comparisons tells an author whose
 * forward is wrong that the stream agrees with it, and the other way round. */
export async function checkStream(
  model: RecurrentModel,
  data: CaseData,
  tolerance: Tolerance,
  expectations: StreamExpectations,
): Promise<CheckResult> {
  const { config } = model;
  if (config.bidirectional) return { status: 'n/a', message: 'bidirectional models cannot stream' };
  const { h0, c0 } = data.options;
  const T = config.batchFirst ? data.x.shape[1] : data.x.shape[0];
  const B = config.batchFirst ? data.x.shape[0] : data.x.shape[1];
  const Hout = outputSize(config);
  const initial: Partial<StreamState> | undefined = h0 || c0 ? { h: h0, c: c0 } : undefined;

  const stream = model.stream({ batch: B });
  try {
    if (initial) await stream.reset(initial);
    const steps = new Float32Array(T * B * Hout);
    for (let t = 0; t < T; t++) {
      const y = await stream.step(stepInput(data.x, t, config.batchFirst));
      if (y.data.length !== B * Hout)
        return resultOf([
          `stream step ${t}: expected ${B * Hout} values ([B, Hout]), received ${y.data.length}`,
        ]);
      steps.set(y.data, t * B * Hout);
    }
    const state = await stream.state();
    const { reference } = expectations;
    const forward = await expectations.ownForward();
    const layout = streamLayout(config, T, B);
    const h = hLayout(config, B, 'state().h');
    const c = cLayout(config, B, 'state().c');
    const versusReference = compareTensor(
      steps,
      timeMajor(reference.output, T, B, Hout, config.batchFirst),
      layout,
      REFERENCE,
      tolerance,
    );
    const versusForward = compareTensor(
      steps,
      timeMajor(forward.output.data, T, B, Hout, config.batchFirst),
      layout,
      OWN_FORWARD,
      tolerance,
    );
    const parts: TensorComparison[] = [
      withHint(versusReference, versusForward, "it agrees with this backend's own forward"),
      withHint(versusForward, versusReference, 'it agrees with the reference: the forward is what differs'),
      compareTensor(state.h.data, reference.h, h, `the reference's final h`, tolerance),
      compareTensor(state.h.data, forward.h.data, h, `${OWN_FORWARD}'s final h`, tolerance),
    ];
    if (reference.c) {
      parts.push(compareTensor(state.c?.data ?? [], reference.c, c, `the reference's final c`, tolerance));
      if (forward.c)
        parts.push(
          compareTensor(state.c?.data ?? [], forward.c.data, c, `${OWN_FORWARD}'s final c`, tolerance),
        );
    }

    await stream.reset(initial);
    const restored = await stream.state();
    const zerosH = new Float32Array(config.numLayers * B * Hout);
    const zerosC = new Float32Array(config.numLayers * B * config.hiddenSize);
    parts.push(
      compareTensor(
        restored.h.data,
        h0?.data ?? zerosH,
        hLayout(config, B, 'state().h after reset'),
        h0 ? 'h0, exactly' : 'zeros, exactly',
        EXACT,
      ),
    );
    if (config.cell === 'lstm') {
      parts.push(
        compareTensor(
          restored.c?.data ?? [],
          c0?.data ?? zerosC,
          cLayout(config, B, 'state().c after reset'),
          c0 ? 'c0, exactly' : 'zeros, exactly',
          EXACT,
        ),
      );
    }
    const again = await stream.step(stepInput(data.x, 0, config.batchFirst));
    parts.push(
      compareTensor(
        again.data,
        steps.subarray(0, B * Hout),
        streamLayout(config, 1, B, 'step 0 after reset'),
        'step 0 before it',
        tolerance,
      ),
    );
    return foldComparisons(parts);
  } finally {
    stream.dispose();
  }
}
