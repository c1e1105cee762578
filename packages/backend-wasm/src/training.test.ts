// The backward (tapeLength, runSequenceBackward) against central finite differences of the
// float64 reference: for a loss L = Σ u_out·output + Σ u_h·h + Σ u_c·c with random u, every
// gradient the backend returns is compared with (L(θ + ε) − L(θ − ε)) / 2ε computed in float64
// (ε = 1e-6), for every option of each cell; larger cases (several input-projection chunks, B = 33,
// stacked bidirectional) against @gated/conformance's float64 referenceBackward.

import { referenceBackward } from '@gated/conformance';
import {
  type ActivationName,
  createRandom,
  initWeights,
  normalizeConfig,
  numDirections,
  outputSize,
  type RecurrentConfig,
  tensor,
  uniformArray,
  type Weights,
} from '@gated/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createWasmBackend } from './create-backend.js';
import { referenceForward } from './float64-reference.test-helper.js';
import { PRE_CHUNK_BYTES } from './scratch.js';

const backend = await createWasmBackend();
afterAll(() => backend.dispose());

interface CheckOptions {
  T?: number;
  B?: number;
  seqLens?: number[];
  /** Input range ±scale. */
  scale?: number;
  /** At most this many finite-difference probes per tensor (all when smaller). */
  probes?: number;
  seed?: number;
}

/** Largest |actual − expected| beyond 2e-4·(1 + max |expected|) + 2e-3·|expected|, ≤ 0 when
 * within: f32 kernels against float64 finite differences. */
function excess(actual: ArrayLike<number>, expected: Map<number, number>): number {
  let scale = 0;
  for (const v of expected.values()) scale = Math.max(scale, Math.abs(v));
  let worst = Number.NEGATIVE_INFINITY;
  for (const [i, e] of expected) {
    const d = Math.abs(actual[i] - e) - (2e-4 * (1 + scale) + 2e-3 * Math.abs(e));
    worst = Number.isNaN(d) ? Number.POSITIVE_INFINITY : Math.max(worst, d);
  }
  return worst;
}

async function checkGradients(config: RecurrentConfig, options: CheckOptions = {}): Promise<void> {
  const { T = 4, B = 3, seqLens, scale = 1, probes = 60, seed = 3 } = options;
  const cfg = normalizeConfig(config);
  const I = cfg.inputSize;
  const D = numDirections(cfg);
  const Hout = outputSize(cfg);
  const states = cfg.numLayers * D;
  const lstm = cfg.cell === 'lstm';
  const random = createRandom(seed);
  const weights = initWeights(config, { seed });
  const x = uniformArray(T * B * I, -scale, scale, random);
  const h0 = uniformArray(states * B * Hout, -0.5, 0.5, random);
  const c0 = uniformArray(states * B * cfg.hiddenSize, -0.5, 0.5, random);
  const uOut = uniformArray(T * B * D * Hout, -1, 1, random);
  const uH = uniformArray(states * B * Hout, -1, 1, random);
  const uC = uniformArray(states * B * cfg.hiddenSize, -1, 1, random);

  const model = await backend.compile(config, weights);
  let grads: Awaited<ReturnType<Awaited<ReturnType<typeof model.recordForward>>['backward']>>;
  try {
    const options = {
      h0: tensor(h0, [states, B, Hout]),
      ...(lstm ? { c0: tensor(c0, [states, B, cfg.hiddenSize]) } : {}),
      seqLens,
    };
    const recorded = await model.recordForward(tensor(x, [T, B, I]), options);
    const plain = await model.forward(tensor(x, [T, B, I]), options);
    // Recording does not change the forward.
    expect(recorded.output.data).toEqual(plain.output.data);
    expect(recorded.h.data).toEqual(plain.h.data);
    const upstream = {
      output: tensor(uOut, [T, B, D * Hout]),
      h: tensor(uH, [states, B, Hout]),
      ...(lstm ? { c: tensor(uC, [states, B, cfg.hiddenSize]) } : {}),
    };
    grads = await recorded.backward(upstream);
    // A second backward is independent of the first.
    const again = await recorded.backward(upstream);
    expect(again.x.data).toEqual(grads.x.data);
    for (const name of Object.keys(grads.weights)) expect(again.weights[name]).toEqual(grads.weights[name]);
    recorded.release();
  } finally {
    model.dispose();
  }

  const w64: Record<string, Float64Array> = {};
  for (const [name, value] of Object.entries(weights)) w64[name] = Float64Array.from(value);
  const x64 = Float64Array.from(x);
  const h064 = Float64Array.from(h0);
  const c064 = Float64Array.from(c0);
  const loss = () => {
    const r = referenceForward(config, w64 as unknown as Weights, x64, T, B, seqLens, h064, c064);
    let sum = 0;
    for (let i = 0; i < uOut.length; i++) sum += uOut[i] * r.output[i];
    for (let i = 0; i < uH.length; i++) sum += uH[i] * r.h[i];
    if (lstm) for (let i = 0; i < uC.length; i++) sum += uC[i] * r.c[i];
    return sum;
  };
  const eps = 1e-6;
  const finiteDifferences = (values: Float64Array): Map<number, number> => {
    const picks = new Map<number, number>();
    const count = Math.min(values.length, probes);
    const indices =
      count === values.length
        ? values.keys()
        : Array.from({ length: count }, () => Math.floor(random() * values.length)).values();
    for (const i of indices) {
      const v = values[i];
      values[i] = v + eps;
      const up = loss();
      values[i] = v - eps;
      const down = loss();
      values[i] = v;
      picks.set(i, (up - down) / (2 * eps));
    }
    return picks;
  };
  const failures: string[] = [];
  const check = (name: string, actual: ArrayLike<number>, values: Float64Array) => {
    expect(actual.length, name).toBe(values.length);
    const e = excess(actual, finiteDifferences(values));
    if (!(e <= 0)) failures.push(`${name} (excess ${e})`);
  };
  expect(Object.keys(grads.weights).sort()).toEqual(Object.keys(weights).sort());
  for (const name of Object.keys(weights)) check(name, grads.weights[name], w64[name]);
  check('x', grads.x.data, x64);
  check('h0', grads.h0.data, h064);
  if (lstm) check('c0', grads.c0!.data, c064);
  expect(failures).toEqual([]);
  // Masked steps give x no gradient.
  if (seqLens) {
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        if (t < seqLens[b]) continue;
        const row = grads.x.data.subarray((t * B + b) * I, (t * B + b + 1) * I);
        expect(Array.from(row).every((v) => v === 0)).toBe(true);
      }
    }
  }
}

describe('wasm backward agrees with finite differences of the float64 reference', () => {
  it('trains an LSTM (hidden size not a multiple of 16)', () =>
    checkGradients({ cell: 'lstm', inputSize: 3, hiddenSize: 5 }));
  it('records with gate traces too: same gates as a forward, same gradients as without', async () => {
    const config = { cell: 'lstm', inputSize: 5, hiddenSize: 7, projSize: 3, peephole: true } as const;
    const model = await backend.compile(config, initWeights(config, { seed: 5 }));
    const x = tensor(uniformArray(4 * 3 * 5, -1, 1, createRandom(6)), [4, 3, 5]);
    const traced = await model.recordForward(x, { returnGates: true, seqLens: [4, 2, 3] });
    const plain = await model.forward(x, { returnGates: true, seqLens: [4, 2, 3] });
    expect(traced.gates).toEqual(plain.gates);
    const untraced = await model.recordForward(x, { seqLens: [4, 2, 3] });
    const upstream = { h: tensor(uniformArray(3 * 3, -1, 1, createRandom(7)), [1, 3, 3]) };
    const [a, b] = [await traced.backward(upstream), await untraced.backward(upstream)];
    expect(a.weights).toEqual(b.weights);
    expect(a.x.data).toEqual(b.x.data);
    model.dispose();
  });
  it('trains an LSTM whose sizes are whole panels (dx added in place)', () =>
    checkGradients({ cell: 'lstm', inputSize: 16, hiddenSize: 16 }, { T: 3, B: 2 }));
  it('trains an LSTM with peepholes', () =>
    checkGradients({ cell: 'lstm', inputSize: 4, hiddenSize: 6, peephole: true }));
  it('trains an LSTM with a projection', () =>
    checkGradients({ cell: 'lstm', inputSize: 4, hiddenSize: 7, projSize: 3 }));
  it('trains an LSTM with coupled input-forget gates and peepholes (forget rows get zero)', () =>
    checkGradients({ cell: 'lstm', inputSize: 4, hiddenSize: 6, coupledInputForget: true, peephole: true }));
  it('trains an LSTM with clip (derivative 0 outside the clamp)', () =>
    checkGradients({ cell: 'lstm', inputSize: 4, hiddenSize: 6, clip: 0.4 }, { scale: 2 }));
  it('trains an LSTM without bias', () =>
    checkGradients({ cell: 'lstm', inputSize: 4, hiddenSize: 6, bias: false }));
  it('trains a GRU (reset after the product)', () =>
    checkGradients({ cell: 'gru', inputSize: 5, hiddenSize: 7 }));
  it('trains a GRU (reset before the product)', () =>
    checkGradients({ cell: 'gru', inputSize: 5, hiddenSize: 7, resetAfter: false }));
  it('trains GRUs with clip, both variants', async () => {
    await checkGradients({ cell: 'gru', inputSize: 5, hiddenSize: 7, clip: 0.5 }, { scale: 2 });
    await checkGradients(
      { cell: 'gru', inputSize: 5, hiddenSize: 7, clip: 0.5, resetAfter: false },
      { scale: 2 },
    );
  });
  it('trains tanh and relu RNNs, with and without bias', async () => {
    await checkGradients({ cell: 'rnn', inputSize: 5, hiddenSize: 6 });
    await checkGradients({ cell: 'rnn', inputSize: 5, hiddenSize: 6, nonlinearity: 'relu', bias: false });
  });
  it('trains stacked bidirectional LSTMs with a projection and seqLens including 0 and T', () =>
    checkGradients(
      {
        cell: 'lstm',
        inputSize: 3,
        hiddenSize: 5,
        numLayers: 2,
        bidirectional: true,
        projSize: 2,
        peephole: true,
      },
      { T: 5, B: 4, seqLens: [5, 0, 3, 1] },
    ));
  it('trains stacked bidirectional GRUs (both variants) and RNNs with seqLens', async () => {
    for (const resetAfter of [true, false]) {
      await checkGradients(
        { cell: 'gru', inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true, resetAfter },
        { T: 5, B: 3, seqLens: [2, 5, 0] },
      );
    }
    await checkGradients(
      { cell: 'rnn', inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true },
      { T: 5, B: 3, seqLens: [4, 1, 5] },
    );
  });
  it('trains at sizes with padding in every dimension and sampled probes', () =>
    checkGradients(
      { cell: 'lstm', inputSize: 18, hiddenSize: 20, projSize: 17, peephole: true, clip: 3 },
      { T: 6, B: 5, probes: 40, seqLens: [6, 2, 5, 6, 3] },
    ));

  const trainable: ActivationName[] = [
    'sigmoid',
    'tanh',
    'relu',
    'hardSigmoid',
    'leakyRelu',
    'scaledTanh',
    'affine',
    'elu',
    'softsign',
    'softplus',
  ];
  for (const name of trainable) {
    it(`trains through ${name} as every LSTM activation and as GRU and RNN activations`, async () => {
      const activation = { name, alpha: 0.3, beta: 0.6 };
      const activations = { gate: activation, candidate: activation, cell: activation };
      await checkGradients({ cell: 'lstm', inputSize: 4, hiddenSize: 6, activations }, { scale: 2 });
      const gru = { gate: activation, candidate: activation };
      await checkGradients({ cell: 'gru', inputSize: 4, hiddenSize: 6, activations: gru }, { scale: 2 });
      await checkGradients(
        { cell: 'gru', inputSize: 4, hiddenSize: 6, activations: gru, resetAfter: false },
        { scale: 2 },
      );
      await checkGradients(
        { cell: 'rnn', inputSize: 4, hiddenSize: 6, activations: { candidate: activation } },
        { scale: 2 },
      );
    });
  }
});

describe('wasm backward agrees with the conformance reference backward at larger sizes', () => {
  /** Every gradient within 1e-5·max(1, max|ref|) + 1e-4·|ref| of referenceBackward (the
   * conformance tolerance). */
  async function checkAgainstReference(config: RecurrentConfig, T: number, B: number, seqLens?: number[]) {
    const cfg = normalizeConfig(config);
    const D = numDirections(cfg);
    const Hout = outputSize(cfg);
    const random = createRandom(4);
    const weights = initWeights(config, { seed: 4 });
    const x = uniformArray(T * B * cfg.inputSize, -1, 1, random);
    const uOut = uniformArray(T * B * D * Hout, -1, 1, random);
    const uH = uniformArray(cfg.numLayers * D * B * Hout, -1, 1, random);
    const model = await backend.compile(config, weights);
    const recorded = await model.recordForward(tensor(x, [T, B, cfg.inputSize]), { seqLens });
    const grads = await recorded.backward({
      output: tensor(uOut, [T, B, D * Hout]),
      h: tensor(uH, [cfg.numLayers * D, B, Hout]),
    });
    model.dispose();
    const ref = referenceBackward(
      config,
      weights,
      { data: x, shape: [T, B, cfg.inputSize] },
      { seqLens },
      { output: uOut, h: uH },
    );
    const within = (actual: ArrayLike<number>, expected: Float64Array) => {
      let scale = 1;
      for (const v of expected) scale = Math.max(scale, Math.abs(v));
      let worst = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < expected.length; i++) {
        const d = Math.abs(actual[i] - expected[i]) - (1e-5 * scale + 1e-4 * Math.abs(expected[i]));
        worst = Number.isNaN(d) ? Number.POSITIVE_INFINITY : Math.max(worst, d);
      }
      return worst;
    };
    for (const name of Object.keys(weights)) {
      expect(within(grads.weights[name], ref.weights[name]), name).toBeLessThanOrEqual(0);
    }
    expect(within(grads.x.data, ref.x), 'x').toBeLessThanOrEqual(0);
    expect(within(grads.h0.data, ref.h0), 'h0').toBeLessThanOrEqual(0);
    if (cfg.cell === 'lstm') expect(within(grads.c0!.data, ref.c0!), 'c0').toBeLessThanOrEqual(0);
  }

  it('records and trains over several input-projection chunks, both directions, with seqLens', async () => {
    // One step of this GRU is B rows of 3 · 16 padded columns: 3 steps per chunk, T = 7 → 3 chunks.
    const B = 12_000;
    expect(Math.floor(PRE_CHUNK_BYTES / (B * 3 * 16 * 4))).toBe(3);
    const seqLens = Array.from({ length: B }, (_, b) => (b * 5) % 8);
    await checkAgainstReference(
      { cell: 'gru', inputSize: 3, hiddenSize: 2, bidirectional: true },
      7,
      B,
      seqLens,
    );
  }, 60_000);

  it('trains stacked bidirectional LSTMs with projection and peepholes at B = 33, H = 40', () =>
    checkAgainstReference(
      {
        cell: 'lstm',
        inputSize: 20,
        hiddenSize: 40,
        projSize: 24,
        peephole: true,
        numLayers: 2,
        bidirectional: true,
      },
      12,
      33,
      Array.from({ length: 33 }, (_, b) => (b * 5) % 13),
    ));

  it('trains both GRUs and an RNN at B = 33, H = 48 (whole panels), I = 32', async () => {
    for (const config of [
      { cell: 'gru', inputSize: 32, hiddenSize: 48 },
      { cell: 'gru', inputSize: 32, hiddenSize: 48, resetAfter: false },
      { cell: 'rnn', inputSize: 32, hiddenSize: 48, nonlinearity: 'relu' },
    ] as RecurrentConfig[]) {
      await checkAgainstReference(config, 15, 33);
    }
  });
});
