import {
  ACTIVATION_NAMES,
  createRandom,
  initWeights,
  type RecurrentConfig,
  tensor,
  uniformArray,
} from '@gated/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createWasmBackend } from './create-backend.js';
import { referenceForward, worstExcess } from './float64-reference.test-helper.js';
import { PRE_CHUNK_BYTES } from './scratch.js';

const backend = await createWasmBackend();
afterAll(() => backend.dispose());

async function expectMatchesReference(
  config: RecurrentConfig,
  T: number,
  B: number,
  options: { seqLens?: number[]; scale?: number; seed?: number } = {},
) {
  const weights = initWeights(config, { seed: options.seed ?? 7 });
  const random = createRandom(99);
  const scale = options.scale ?? 1;
  const x = uniformArray(T * B * config.inputSize, -scale, scale, random);
  const model = await backend.compile(config, weights);
  try {
    const result = await model.forward(tensor(x, [T, B, config.inputSize]), {
      seqLens: options.seqLens,
      returnGates: true,
    });
    // Without a trace the whole recurrence runs in one wasm call (runRecurrence): same bits.
    const untraced = await model.forward(tensor(x, [T, B, config.inputSize]), { seqLens: options.seqLens });
    expect(untraced.output.data).toEqual(result.output.data);
    expect(untraced.h.data).toEqual(result.h.data);
    expect(untraced.c?.data).toEqual(result.c?.data);
    const ref = referenceForward(config, weights, x, T, B, options.seqLens);
    expect(worstExcess(result.output.data, ref.output)).toBeLessThanOrEqual(0);
    expect(worstExcess(result.h.data, ref.h)).toBeLessThanOrEqual(0);
    if (config.cell === 'lstm') expect(worstExcess(result.c!.data, ref.c)).toBeLessThanOrEqual(0);
    result.gates!.forEach((trace, index) => {
      const values = Object.values(trace.values).map((v) => v.data);
      const flat = new Float32Array(values.reduce((n, v) => n + v.length, 0));
      let offset = 0;
      for (const v of values) {
        flat.set(v, offset);
        offset += v.length;
      }
      expect(worstExcess(flat, ref.gates[index])).toBeLessThanOrEqual(0);
    });
  } finally {
    model.dispose();
  }
}

describe('wasm kernels agree with the float64 reference', () => {
  for (const size of [1, 3, 5, 17, 33]) {
    it(`runs an LSTM with input and hidden size ${size}`, () =>
      expectMatchesReference({ cell: 'lstm', inputSize: size, hiddenSize: size }, 4, 3));
    it(`runs a GRU with input and hidden size ${size}`, () =>
      expectMatchesReference({ cell: 'gru', inputSize: size, hiddenSize: size }, 4, 5));
  }
  it('runs an LSTM with projection, peepholes and clip', () =>
    expectMatchesReference(
      { cell: 'lstm', inputSize: 6, hiddenSize: 13, projSize: 5, peephole: true, clip: 0.7 },
      5,
      3,
    ));
  it('runs an LSTM with coupled input-forget gates', () =>
    expectMatchesReference(
      { cell: 'lstm', inputSize: 4, hiddenSize: 9, coupledInputForget: true, peephole: true },
      5,
      2,
    ));
  it('runs a GRU with the reset gate before the product', () =>
    expectMatchesReference({ cell: 'gru', inputSize: 7, hiddenSize: 11, resetAfter: false }, 6, 3));
  it('runs tanh and relu RNNs without bias', async () => {
    await expectMatchesReference({ cell: 'rnn', inputSize: 5, hiddenSize: 9, bias: false }, 5, 2);
    await expectMatchesReference({ cell: 'rnn', inputSize: 5, hiddenSize: 9, nonlinearity: 'relu' }, 5, 2);
  });
  it('runs stacked bidirectional models with seqLens including 0 and T', async () => {
    await expectMatchesReference(
      { cell: 'lstm', inputSize: 3, hiddenSize: 10, numLayers: 2, bidirectional: true, projSize: 4 },
      6,
      4,
      { seqLens: [6, 0, 3, 1] },
    );
    await expectMatchesReference(
      { cell: 'gru', inputSize: 3, hiddenSize: 10, numLayers: 2, bidirectional: true, resetAfter: false },
      6,
      4,
      { seqLens: [2, 6, 0, 5] },
    );
  });
  it('runs sequences longer than one input-projection chunk, both directions, with seqLens', async () => {
    // The input projection runs PRE_CHUNK_BYTES at a time: 3 steps for this GRU (B rows of
    // 3 · 16 padded columns; T = 7 leaves a short last chunk); one step of this LSTM (4 · 16)
    // is already above it, so its chunks are single steps.
    const chunk = (B: number, columns: number) => Math.floor(PRE_CHUNK_BYTES / (B * columns * 4));
    expect([chunk(12_000, 3 * 16), chunk(33_000, 4 * 16)]).toEqual([3, 0]);
    const lens = (B: number, T: number) => Array.from({ length: B }, (_, b) => (b * 5) % (T + 1));
    await expectMatchesReference(
      { cell: 'gru', inputSize: 3, hiddenSize: 2, bidirectional: true },
      7,
      12_000,
      {
        seqLens: lens(12_000, 7),
      },
    );
    await expectMatchesReference({ cell: 'lstm', inputSize: 3, hiddenSize: 3, projSize: 2 }, 3, 33_000, {
      seqLens: lens(33_000, 3),
    });
  }, 30_000);
  it('stays finite and exact with saturating inputs', async () => {
    await expectMatchesReference({ cell: 'lstm', inputSize: 5, hiddenSize: 7 }, 3, 2, { scale: 50 });
    await expectMatchesReference({ cell: 'gru', inputSize: 5, hiddenSize: 7 }, 3, 2, { scale: 1e30 });
  });
  for (const name of ACTIVATION_NAMES) {
    it(`applies ${name} as every LSTM activation, with alpha and beta`, () => {
      const activation = { name, alpha: 0.3, beta: 0.6 };
      return expectMatchesReference(
        {
          cell: 'lstm',
          inputSize: 4,
          hiddenSize: 6,
          activations: { gate: activation, candidate: activation, cell: activation },
        },
        3,
        2,
        { scale: 3 },
      );
    });
  }
});
