import { GatedError, initWeights, type Tensor, tensor } from '@gated/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createOnnxBackend } from './index.js';
import { RUNTIMES } from './runtimes.test-helper.js';

const T = 4;
const B = 2;
const I = 3;
const H = 5;
const config = { cell: 'lstm', inputSize: I, hiddenSize: H } as const;
const weights = initWeights(config, { seed: 11 });

/** Deterministic values in (-2, 2), different for every seed. */
function values(length: number, seed: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => 2 * Math.sin(seed * 7.3 + i * 1.7));
}

const copy = (t: Tensor): Tensor => tensor(t.data.slice(), [...t.shape]);

async function expectDisposed(call: Promise<unknown>): Promise<void> {
  const error = await call.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(GatedError);
  expect((error as GatedError).code).toBe('DISPOSED');
}

describe.each(RUNTIMES)('$name backend call semantics', async ({ options }) => {
  const backend = await createOnnxBackend(options);
  afterAll(() => backend.dispose());
  const model = await backend.compile(config, weights);

  it('takes a snapshot of x, h0, c0 and seqLens when forward is called', async () => {
    const x = tensor(values(T * B * I, 1), [T, B, I]);
    const h0 = tensor(values(B * H, 2), [1, B, H]);
    const c0 = tensor(values(B * H, 3), [1, B, H]);
    const seqLens = [T, 2];
    const expected = await model.forward(copy(x), { h0: copy(h0), c0: copy(c0), seqLens: [...seqLens] });
    const pending = model.forward(x, { h0, c0, seqLens });
    // Everything the caller handed over changes right after the call returns.
    x.data.fill(Number.NaN);
    h0.data.fill(7);
    c0.data.fill(-7);
    seqLens[0] = 0;
    seqLens[1] = 1;
    const result = await pending;
    expect(result.output.data).toEqual(expected.output.data);
    expect(result.h.data).toEqual(expected.h.data);
    expect(result.c?.data).toEqual(expected.c?.data);
  });

  it('gives each of several un-awaited forwards the input it had when called, though one buffer is refilled', async () => {
    const inputs = [0, 1, 2, 3, 4].map((k) => values(T * B * I, 10 + k));
    const expected = [];
    for (const data of inputs) expected.push(await model.forward(tensor(data.slice(), [T, B, I])));
    const buffer = new Float32Array(T * B * I);
    const pending = inputs.map((data) => {
      buffer.set(data);
      return model.forward(tensor(buffer, [T, B, I]));
    });
    const results = await Promise.all(pending);
    for (const [k, result] of results.entries()) expect(result.output.data).toEqual(expected[k].output.data);
  });

  it('runs un-awaited stream steps in call order, each from the state the previous one left', async () => {
    const steps = Array.from({ length: 20 }, (_, t) => values(B * I, 100 + t));
    const awaited = model.stream({ batch: B });
    const expected = [];
    for (const data of steps) expected.push(await awaited.step(tensor(data, [B, I])));
    const eager = model.stream({ batch: B });
    const buffer = new Float32Array(B * I);
    const pending = steps.map((data) => {
      buffer.set(data);
      return eager.step(tensor(buffer, [B, I]));
    });
    const results = await Promise.all(pending);
    for (const [t, result] of results.entries()) expect(result.data, `step ${t}`).toEqual(expected[t].data);
    expect((await eager.state()).c?.data).toEqual((await awaited.state()).c?.data);
  });

  it('applies a reset issued after un-awaited steps after them, and the steps after it from there', async () => {
    const xs = [0, 1, 2].map((t) => tensor(values(B * I, 200 + t), [B, I]));
    const fresh = model.stream({ batch: B });
    const fromZeros = await fresh.step(xs[2]);
    const stream = model.stream({ batch: B });
    const first = stream.step(xs[0]);
    const second = stream.step(xs[1]);
    const reset = stream.reset();
    const third = stream.step(xs[2]);
    await Promise.all([first, second, reset]);
    expect((await third).data).toEqual(fromZeros.data);
    expect((await stream.state()).h.data).toEqual((await fresh.state()).h.data);

    // A reset is not undone by the step before it finishing later.
    const zeros = new Float32Array(B * H);
    const step = stream.step(xs[0]);
    await Promise.all([step, stream.reset()]);
    expect((await stream.state()).h.data).toEqual(zeros);
  });

  it('resolves state() to the state after every earlier call, and snapshots the state given to reset', async () => {
    const xs = [0, 1].map((t) => tensor(values(B * I, 300 + t), [B, I]));
    const reference = model.stream({ batch: B });
    await reference.step(xs[0]);
    const afterOne = await reference.state();
    const stream = model.stream({ batch: B });
    void stream.step(xs[0]);
    const state = stream.state();
    void stream.step(xs[1]);
    expect((await state).h.data).toEqual(afterOne.h.data);

    const given = { h: copy(afterOne.h), c: copy(afterOne.c as Tensor) };
    const reset = stream.reset(given);
    given.h.data.fill(9);
    given.c.data.fill(9);
    await reset;
    expect((await stream.state()).h.data).toEqual(afterOne.h.data);
  });

  it('completes calls made before model.dispose() and refuses those after it as DISPOSED', async () => {
    const own = await backend.compile(config, weights);
    const x = tensor(values(T * B * I, 400), [T, B, I]);
    const xt = tensor(values(B * I, 401), [B, I]);
    const expectedForward = await model.forward(copy(x));
    const expectedStep = await model.stream({ batch: B }).step(copy(xt));
    const stream = own.stream({ batch: B });
    const forward = own.forward(x);
    const step = stream.step(xt);
    const state = stream.state();
    own.dispose();
    expect((await forward).output.data).toEqual(expectedForward.output.data);
    expect((await step).data).toEqual(expectedStep.data);
    expect((await state).h.data).toEqual((await step).data);
    await expectDisposed(own.forward(x));
    await expectDisposed(stream.step(xt));
    await expectDisposed(stream.state());
    await expectDisposed(stream.reset());
  });

  it('completes steps made before stream.dispose() and refuses those after it as DISPOSED', async () => {
    const xt = tensor(values(B * I, 500), [B, I]);
    const expected = await model.stream({ batch: B }).step(copy(xt));
    const stream = model.stream({ batch: B });
    const step = stream.step(xt);
    stream.dispose();
    expect((await step).data).toEqual(expected.data);
    await expectDisposed(stream.step(xt));
    expect((await model.forward(tensor(values(T * B * I, 501), [T, B, I]))).output.shape).toEqual([T, B, H]);
  });
});
