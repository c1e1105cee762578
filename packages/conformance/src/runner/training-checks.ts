import type {
  Backend,
  Gradients,
  RecordedForward,
  RecurrentConfig,
  RecurrentModel,
  Tensor,
} from '@gated/core';
import { B, type ContractCheck, GRU, LSTM, sameBits, sequence, T, withModel } from './check-helpers.js';
import { expectGatedError, type Outcome } from './gated-errors.js';

const states = (shape: number[]): Tensor => ({
  data: new Float32Array(shape.reduce((n, d) => n * d, 1)).map((_, k) => Math.cos(k)),
  shape,
});

/** Upstream gradients of the right shapes for LSTM (3 → 4) or GRU on `sequence()`. */
const upstreamFor = (config: RecurrentConfig) => ({
  output: states([T, B, 4]),
  h: states([1, B, 4]),
  ...(config.cell === 'lstm' ? { c: states([1, B, 4]) } : {}),
});

/** Compiles `config`, records a forward of `sequence()` and runs `body`; released after. */
function withRecording(
  backend: Backend,
  config: RecurrentConfig,
  body: (recording: RecordedForward, model: RecurrentModel) => Promise<Outcome>,
): Promise<Outcome> {
  return withModel(backend, config, async (model) => {
    const recording = await model.recordForward(sequence());
    try {
      return await body(recording, model);
    } finally {
      recording.release();
    }
  });
}

function sameGradients(a: Gradients, b: Gradients): boolean {
  const names = Object.keys(a.weights);
  return (
    names.length === Object.keys(b.weights).length &&
    names.every((name) => b.weights[name] !== undefined && sameBits(a.weights[name], b.weights[name])) &&
    sameBits(a.x.data, b.x.data) &&
    sameBits(a.h0.data, b.h0.data) &&
    sameBits(a.c0?.data ?? new Float32Array(), b.c0?.data ?? new Float32Array())
  );
}

function training(
  name: string,
  config: RecurrentConfig,
  body: (recording: RecordedForward, model: RecurrentModel) => Promise<Outcome>,
): ContractCheck {
  return { name, training: true, cell: config.cell, run: (backend) => withRecording(backend, config, body) };
}

function rejectsUpstream(
  name: string,
  argument: string,
  config: RecurrentConfig,
  upstream: (valid: ReturnType<typeof upstreamFor>) => object,
): ContractCheck {
  return training(name, config, (recording) =>
    expectGatedError('INVALID_INPUT', argument, () => recording.backward(upstream(upstreamFor(config)))),
  );
}

/** The training contract of `model.recordForward` → `backward` / `release`: lifetimes, upstream
 * validation, repeatable backwards; and UNSUPPORTED from a backend that does not train. */
export const TRAINING_CHECKS: readonly ContractCheck[] = [
  training('backward after release() is DISPOSED', LSTM, (recording) => {
    recording.release();
    return expectGatedError('DISPOSED', '', () => recording.backward(upstreamFor(LSTM)));
  }),
  training('release() is idempotent', LSTM, async (recording) => {
    recording.release();
    recording.release();
    return expectGatedError('DISPOSED', '', () => recording.backward());
  }),
  training(
    'model.dispose() releases its recordings: backward after it is DISPOSED',
    GRU,
    (recording, model) => {
      model.dispose();
      return expectGatedError('DISPOSED', '', () => recording.backward(upstreamFor(GRU)));
    },
  ),
  rejectsUpstream(
    'upstream.output of the wrong shape is INVALID_INPUT naming it',
    'upstream.output',
    LSTM,
    (u) => ({
      ...u,
      output: states([T, B, 5]),
    }),
  ),
  rejectsUpstream('upstream.h of the wrong shape is INVALID_INPUT naming it', 'upstream.h', LSTM, (u) => ({
    ...u,
    h: states([2, B, 4]),
  })),
  rejectsUpstream('upstream.c of the wrong shape is INVALID_INPUT naming it', 'upstream.c', LSTM, (u) => ({
    ...u,
    c: states([1, B + 1, 4]),
  })),
  rejectsUpstream('upstream.c for a GRU is INVALID_INPUT naming it', 'upstream.c', GRU, (u) => ({
    ...u,
    c: states([1, B, 4]),
  })),
  rejectsUpstream('a non-finite upstream.h is INVALID_INPUT naming it', 'upstream.h', GRU, (u) => {
    const h = states([1, B, 4]);
    h.data[3] = Number.NaN;
    return { ...u, h };
  }),
  training('backward twice gives bit-identical gradients (nothing accumulates)', LSTM, async (recording) => {
    const first = await recording.backward(upstreamFor(LSTM));
    const second = await recording.backward(upstreamFor(LSTM));
    return sameGradients(first, second)
      ? { status: 'pass' }
      : { status: 'fail', message: 'a second backward with the same upstream gave other gradients' };
  }),
  training('a rejected upstream leaves the recording giving the same gradients', LSTM, async (recording) => {
    const before = await recording.backward(upstreamFor(LSTM));
    await recording.backward({ output: states([1, 1, 1]) }).catch(() => {});
    const after = await recording.backward(upstreamFor(LSTM));
    return sameGradients(before, after)
      ? { status: 'pass' }
      : { status: 'fail', message: 'a backward after a rejected upstream gave other gradients' };
  }),
  training('a backward uses the upstream as it was when called', LSTM, async (recording) => {
    const expected = await recording.backward(upstreamFor(LSTM));
    const upstream = upstreamFor(LSTM);
    const pending = recording.backward(upstream);
    upstream.output.data.fill(7);
    upstream.h.data.fill(-7);
    return sameGradients(expected, await pending)
      ? { status: 'pass' }
      : {
          status: 'fail',
          message: 'changing the upstream arrays after backward() returned changed its gradients',
        };
  }),
  training('a backward issued before release() completes with the same gradients', GRU, async (recording) => {
    const expected = await recording.backward(upstreamFor(GRU));
    const pending = recording.backward(upstreamFor(GRU));
    recording.release();
    return sameGradients(expected, await pending)
      ? { status: 'pass' }
      : { status: 'fail', message: 'a backward issued before release() gave other gradients' };
  }),
  {
    name: 'recordForward on a backend that does not train is UNSUPPORTED naming model.recordForward',
    cell: 'lstm',
    run: (backend) =>
      backend.capabilities.training
        ? Promise.resolve({ status: 'n/a', message: 'the backend trains' })
        : withModel(backend, LSTM, (model) =>
            expectGatedError('UNSUPPORTED', 'recordForward', () => model.recordForward(sequence())),
          ),
  },
];
