import {
  type Backend,
  createRandom,
  initWeights,
  type RecurrentConfig,
  type Tensor,
  tensor,
  uniformArray,
} from '@gated/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createTfjsBackend } from './index.js';

function memory() {
  const { numTensors, numBytes } = tf.memory();
  return { numTensors, numBytes };
}

function input(shape: [number, number, number], seed: number): Tensor {
  return tensor(uniformArray(shape[0] * shape[1] * shape[2], -1, 1, createRandom(seed)), shape);
}

const CONFIGS: RecurrentConfig[] = [
  { cell: 'lstm', inputSize: 3, hiddenSize: 4 },
  { cell: 'lstm', inputSize: 3, hiddenSize: 4, projSize: 2, peephole: true, clip: 2, numLayers: 2 },
  { cell: 'gru', inputSize: 3, hiddenSize: 4, bidirectional: true, numLayers: 2 },
  { cell: 'gru', inputSize: 3, hiddenSize: 4, resetAfter: false },
  { cell: 'rnn', inputSize: 3, hiddenSize: 4, nonlinearity: 'relu', batchFirst: true },
];

/** A tf namespace whose `matMul` (the recurrent product, once per step) throws from its
 * `failAt`-th call on: a tfjs failure in the middle of a sequence. */
function failingTf(failAt: number): typeof tf {
  let calls = 0;
  return new Proxy(tf, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key !== 'matMul') return value;
      return (...args: unknown[]) => {
        calls++;
        if (calls >= failAt) throw new Error('simulated tfjs failure');
        return (value as (...a: unknown[]) => unknown)(...args);
      };
    },
  });
}

describe.each(['cpu', 'wasm'])('tf.memory() on tfjs %s', (name) => {
  let backend: Backend;

  it('is back where it started after every forward, its options, and model and backend dispose', async () => {
    backend = await createTfjsBackend({ tf, backend: name });
    const before = memory();
    for (const config of CONFIGS) {
      const model = await backend.compile(config, initWeights(config, { seed: 1 }));
      const compiled = memory();
      const x = input([3, 3, 3], 2);
      await model.forward(x);
      expect(memory()).toEqual(compiled);
      await model.forward(x, { seqLens: [3, 0, 2], returnGates: true });
      expect(memory()).toEqual(compiled);
      model.dispose();
      expect(memory()).toEqual(before);
    }
    backend.dispose();
    expect(memory()).toEqual(before);
  });

  it('is back where it started after stream steps, a bad step in the middle, reset, state and dispose', async () => {
    backend = await createTfjsBackend({ tf, backend: name });
    const config = CONFIGS[1];
    const model = await backend.compile(config, initWeights(config, { seed: 3 }));
    const compiled = memory();
    const stream = model.stream({ batch: 2 });
    const x = tensor(uniformArray(6, -1, 1, createRandom(4)), [2, 3]);
    await stream.step(x);
    const stepping = memory();
    await stream.step(x);
    expect(memory()).toEqual(stepping);
    await expect(stream.step(tensor(new Float32Array(4), [2, 2]))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(memory()).toEqual(stepping);
    const y = await stream.step(x);
    expect(y.data.every(Number.isFinite)).toBe(true);
    await stream.state();
    await stream.reset();
    await stream.step(x);
    expect(memory()).toEqual(stepping);
    stream.dispose();
    expect(memory()).toEqual(compiled);
    model.dispose();
    backend.dispose();
  });

  it('is back where it started after tfjs fails in the middle of a forward and of a stream step', async () => {
    const before = memory();
    const config = CONFIGS[0];
    const x = input([6, 2, 3], 5);
    for (const failAt of [1, 3, 6]) {
      const failing = await createTfjsBackend({ tf: failingTf(failAt), backend: name });
      const model = await failing.compile(config, initWeights(config, { seed: 6 }));
      const compiled = memory();
      await expect(model.forward(x)).rejects.toMatchObject({
        code: 'BACKEND_UNAVAILABLE',
        message: expect.stringContaining('simulated tfjs failure'),
      });
      expect(memory()).toEqual(compiled);
      const stream = model.stream({ batch: 2 });
      await expect(stream.step(tensor(new Float32Array(6), [2, 3]))).rejects.toMatchObject({
        code: 'BACKEND_UNAVAILABLE',
      });
      stream.dispose();
      expect(memory()).toEqual(compiled);
      failing.dispose();
      expect(memory()).toEqual(before);
    }
  });

  it("keeps its tensors through an application's tf.tidy around its calls", async () => {
    backend = await createTfjsBackend({ tf, backend: name });
    const config = CONFIGS[2];
    let compiling: ReturnType<Backend['compile']> | undefined;
    tf.tidy(() => {
      compiling = backend.compile(config, initWeights(config, { seed: 10 }));
    });
    const model = await compiling!;
    const compiled = memory();
    const x = input([3, 3, 3], 11);
    const expected = await model.forward(x);
    let pending: ReturnType<typeof model.forward> | undefined;
    tf.tidy(() => {
      pending = model.forward(x);
    });
    expect(Array.from((await pending!).output.data)).toEqual(Array.from(expected.output.data));
    expect(Array.from((await model.forward(x)).output.data)).toEqual(Array.from(expected.output.data));
    expect(memory()).toEqual(compiled);
    model.dispose();
    backend.dispose();
  });

  it('stays flat over 1,000 forwards and 10,000 stream steps', async () => {
    backend = await createTfjsBackend({ tf, backend: name });
    const config: RecurrentConfig = { cell: 'lstm', inputSize: 3, hiddenSize: 4 };
    const model = await backend.compile(config, initWeights(config, { seed: 7 }));
    const x = input([4, 2, 3], 8);
    await model.forward(x);
    const start = memory();
    for (let k = 0; k < 1000; k++) await model.forward(x, { seqLens: [4, k % 5] });
    expect(memory()).toEqual(start);
    const stream = model.stream({ batch: 2 });
    const xt = tensor(uniformArray(6, -1, 1, createRandom(9)), [2, 3]);
    await stream.step(xt);
    const streaming = memory();
    for (let k = 0; k < 10_000; k++) await stream.step(xt);
    expect(memory()).toEqual(streaming);
    stream.dispose();
    model.dispose();
    backend.dispose();
  }, 120_000);
});
