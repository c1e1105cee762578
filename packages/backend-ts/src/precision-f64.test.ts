import { referenceForward } from '@gated/conformance';
import {
  ALL_CAPABILITIES,
  createRandom,
  defineKernelBackend,
  initWeights,
  type RecurrentConfig,
  tensor,
  uniformArray,
} from '@gated/core';
import { describe, expect, it } from 'vitest';
import { createTsBackend } from './index.js';
import type { Real } from './real.js';
import { createTsKernels } from './ts-kernels.js';

const CONFIGS: Record<string, RecurrentConfig> = {
  'an LSTM with projection, peepholes and clip': {
    cell: 'lstm',
    inputSize: 7,
    hiddenSize: 10,
    projSize: 4,
    peephole: true,
    clip: 3,
  },
  'a bidirectional 2-layer GRU': {
    cell: 'gru',
    inputSize: 5,
    hiddenSize: 9,
    numLayers: 2,
    bidirectional: true,
  },
  'a reset-before GRU with hardSigmoid gates': {
    cell: 'gru',
    inputSize: 6,
    hiddenSize: 11,
    resetAfter: false,
    activations: { gate: 'hardSigmoid' },
  },
  'a coupled-gate LSTM': { cell: 'lstm', inputSize: 4, hiddenSize: 5, coupledInputForget: true },
  'an RNN': { cell: 'rnn', inputSize: 8, hiddenSize: 12 },
};

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe("precision 'f64'", () => {
  it.each(Object.entries(CONFIGS))('matches the float64 reference to 1e-12 for %s', async (_, config) => {
    // The Backend API returns f32; the kernels' own float64 buffers are captured as they are read.
    const kernels = createTsKernels('f64');
    const readBack: Real[][] = [];
    const read = kernels.read.bind(kernels);
    kernels.read = (buffers) => {
      readBack.push(buffers.map((buffer) => buffer.slice()));
      return read(buffers);
    };
    const backend = defineKernelBackend({ name: 'ts-f64', capabilities: ALL_CAPABILITIES, kernels });
    const weights = initWeights(config, { seed: 11 });
    const model = await backend.compile(config, weights);
    const [T, B] = [9, 3];
    const x = tensor(uniformArray(T * B * config.inputSize, -3, 3, createRandom(2)), [
      T,
      B,
      config.inputSize,
    ]);
    const seqLens = [9, 4, 0];
    await model.forward(x, { seqLens });
    const reference = referenceForward(config, weights, x, { seqLens });
    const [output, h] = readBack[0];
    expect(output).toBeInstanceOf(Float64Array);
    expect(maxAbsDiff(output, reference.output)).toBeLessThan(1e-12);
    expect(maxAbsDiff(h, reference.h)).toBeLessThan(1e-12);
  });

  it("is named 'ts-f64' and rejects an unknown precision", async () => {
    expect((await createTsBackend({ precision: 'f64' })).name).toBe('ts-f64');
    await expect(createTsBackend({ precision: 'f16' as 'f32' })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
    });
  });
});
