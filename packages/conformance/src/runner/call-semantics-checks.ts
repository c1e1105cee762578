import {
  type Backend,
  type ForwardOptions,
  type ForwardResult,
  initWeights,
  type RecurrentModel,
  type Tensor,
} from '@gated/core';
import { B, type ContractCheck, LSTM, sameBits, T, withModel } from './check-helpers.js';
import { expectGatedError, type Outcome } from './gated-errors.js';

const I = LSTM.inputSize;
const H = LSTM.hiddenSize;

/** Fresh, recognisable arrays for call k. */
export function pattern(length: number, k: number): Float32Array {
  return new Float32Array(length).map((_, j) => Math.sin(0.7 * j + 1.3 * k));
}

/** A forward's arguments, with h0, c0 and seqLens where the backend declares them. */
function forwardArgs(backend: Backend, k: number): { x: Tensor; options: ForwardOptions } {
  const features = backend.capabilities.features;
  const options: ForwardOptions = {};
  if (features.includes('initialState')) {
    options.h0 = { data: pattern(B * H, k + 10).map((v) => v / 2), shape: [1, B, H] };
    options.c0 = { data: pattern(B * H, k + 20), shape: [1, B, H] };
  }
  if (features.includes('seqLens')) options.seqLens = [T, 1];
  return { x: { data: pattern(T * B * I, k), shape: [T, B, I] }, options };
}

export function sameResult(a: ForwardResult, b: ForwardResult): boolean {
  return (
    sameBits(a.output.data, b.output.data) &&
    sameBits(a.h.data, b.h.data) &&
    sameBits(a.c?.data ?? new Float32Array(), b.c?.data ?? new Float32Array())
  );
}

const fail = (message: string): Outcome => ({ status: 'fail', message });
const PASS: Outcome = { status: 'pass' };

/** Every value of a tensor's data and of an options object's tensors, overwritten. */
function scribble(args: { x: Tensor; options: ForwardOptions }): void {
  args.x.data.fill(Number.NaN);
  args.options.h0?.data.fill(1e6);
  args.options.c0?.data.fill(-1e6);
  if (Array.isArray(args.options.seqLens)) (args.options.seqLens as number[]).fill(0);
}

async function streamOutputs(model: RecurrentModel, inputs: Float32Array[]): Promise<Float32Array[]> {
  const stream = model.stream({ batch: B });
  const out: Float32Array[] = [];
  for (const data of inputs) out.push((await stream.step({ data: data.slice(), shape: [B, I] })).data);
  stream.dispose();
  return out;
}

/** A call takes a snapshot of what it is given before it returns; calls on one model and one
 * stream take effect in call order, awaited or not. */
export const CALL_SEMANTICS_CHECKS: readonly ContractCheck[] = [
  {
    name: 'a forward uses x, h0, c0 and seqLens as they were when it was called',
    cell: 'lstm',
    run: (backend) =>
      withModel(backend, LSTM, async (model) => {
        const clean = forwardArgs(backend, 1);
        const expected = await model.forward(clean.x, clean.options);
        const reused = forwardArgs(backend, 1);
        const pending = model.forward(reused.x, reused.options);
        scribble(reused);
        return sameResult(await pending, expected)
          ? PASS
          : fail('changing the arguments after forward() returned changed its result');
      }),
  },
  {
    name: 'un-awaited forwards refilling one buffer each use what their call was given',
    cell: 'lstm',
    run: (backend) =>
      withModel(backend, LSTM, async (model) => {
        const expected: ForwardResult[] = [];
        for (let k = 0; k < 5; k++)
          expected.push(await model.forward({ data: pattern(T * B * I, k), shape: [T, B, I] }));
        const buffer = new Float32Array(T * B * I);
        const pending: Promise<ForwardResult>[] = [];
        for (let k = 0; k < 5; k++) {
          buffer.set(pattern(T * B * I, k));
          pending.push(model.forward({ data: buffer, shape: [T, B, I] }));
        }
        const results = await Promise.all(pending);
        const wrong = results.findIndex((r, k) => !sameResult(r, expected[k]));
        return wrong < 0
          ? PASS
          : fail(`un-awaited forward ${wrong} of 5 differs from the same forward awaited`);
      }),
  },
  {
    name: 'un-awaited stream steps run in call order, each from the state the previous one left',
    feature: 'stream',
    cell: 'lstm',
    run: (backend) =>
      withModel(backend, LSTM, async (model) => {
        const inputs = Array.from({ length: 8 }, (_, k) => pattern(B * I, k));
        const expected = await streamOutputs(model, inputs);
        const stream = model.stream({ batch: B });
        const buffer = new Float32Array(B * I);
        const pending = inputs.map((data) => {
          buffer.set(data);
          return stream.step({ data: buffer, shape: [B, I] });
        });
        const results = await Promise.all(pending);
        stream.dispose();
        const wrong = results.findIndex((r, k) => !sameBits(r.data, expected[k]));
        return wrong < 0 ? PASS : fail(`un-awaited step ${wrong} of 8 differs from the same step awaited`);
      }),
  },
  {
    name: 'a reset issued after un-awaited steps takes effect after them',
    feature: 'stream',
    cell: 'lstm',
    run: (backend) =>
      withModel(backend, LSTM, async (model) => {
        const state = {
          h: { data: new Float32Array(B * H).fill(0.25), shape: [1, B, H] },
          c: { data: new Float32Array(B * H).fill(-0.5), shape: [1, B, H] },
        };
        const x = (k: number) => ({ data: pattern(B * I, k), shape: [B, I] });
        const awaited = model.stream({ batch: B });
        const first = [await awaited.step(x(1)), await awaited.step(x(2))];
        await awaited.reset(state);
        const last = await awaited.step(x(3));
        const final = await awaited.state();
        awaited.dispose();

        const stream = model.stream({ batch: B });
        const calls = [stream.step(x(1)), stream.step(x(2))];
        const reset = stream.reset(state);
        const after = stream.step(x(3));
        const got = await stream.state();
        const [one, two] = await Promise.all(calls);
        await reset;
        const three = await after;
        stream.dispose();
        if (!sameBits(one.data, first[0].data) || !sameBits(two.data, first[1].data))
          return fail('steps issued before a reset did not run from the stream state before it');
        if (!sameBits(three.data, last.data))
          return fail('the step after an un-awaited reset did not start from the reset state');
        return sameBits(got.h.data, final.h.data) &&
          sameBits(got.c?.data ?? new Float32Array(), final.c?.data ?? new Float32Array())
          ? PASS
          : fail('state() issued after un-awaited calls did not see all of them');
      }),
  },
  {
    name: 'calls issued before dispose complete and calls after it are DISPOSED',
    cell: 'lstm',
    run: (backend) =>
      withModel(backend, LSTM, async (model) => {
        const args = forwardArgs(backend, 2);
        const expected = await model.forward(args.x, args.options);
        const pending = model.forward(args.x, args.options);
        model.dispose();
        let result: ForwardResult;
        try {
          result = await pending;
        } catch (error) {
          return fail(`a forward issued before model.dispose() failed: ${String(error)}`);
        }
        if (!sameResult(result, expected))
          return fail('a forward issued before model.dispose() gave another result');
        return expectGatedError('DISPOSED', 'disposed', () => model.forward(args.x, args.options));
      }),
  },
  {
    name: 'weights changed after compile() was called change nothing',
    cell: 'lstm',
    run: async (backend) => {
      const weights = initWeights(LSTM, { seed: 5 });
      const pending = backend.compile(LSTM, weights);
      for (const w of Object.values(weights)) w.fill(Number.NaN);
      const changed = await pending;
      const clean = await backend.compile(LSTM, initWeights(LSTM, { seed: 5 }));
      try {
        const x = forwardArgs(backend, 3).x;
        return sameResult(await changed.forward(x), await clean.forward(x))
          ? PASS
          : fail('changing the weights after compile() returned changed the compiled model');
      } finally {
        changed.dispose();
        clean.dispose();
      }
    },
  },
];
