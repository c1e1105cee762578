import {
  createRandom,
  gradientLayout,
  initWeights,
  type LayerSpec,
  type LayerWeights,
  layerInputSize,
  layerWeightNames,
  normalizeConfig,
  outputSize,
  type RecurrentConfig,
  uniformArray,
} from '@gated/core';
import { describe, expect, it } from 'vitest';
import { createGradientWorkspace } from './gradient-workspace.js';
import { runSequenceBackward } from './run-sequence-backward.js';
import { transposeWeights } from './transposed-weights.js';
import { createTsKernels } from './ts-kernels.js';

/** One layer-direction driven through the kernels in float64: loss = Σ wOut ⊙ output +
 * Σ wH ⊙ h_T + Σ wC ⊙ c_T, so the upstream gradients are wOut, wH, wC. */
interface Problem {
  spec: LayerSpec;
  weights: Record<keyof LayerWeights, Float64Array | null>;
  x: Float64Array;
  h0: Float64Array;
  c0: Float64Array | null;
  wOut: Float64Array;
  wH: Float64Array;
  wC: Float64Array | null;
  steps: number;
  batch: number;
  reverse: boolean;
  seqLens: Int32Array | null;
}

const KEYS = ['weightIh', 'weightHh', 'biasIh', 'biasHh', 'weightHr', 'weightPh'] as const;

function problem(config: RecurrentConfig, reverse: boolean, seqLens: number[] | null, seed: number): Problem {
  const normalized = normalizeConfig(config);
  const spec: LayerSpec = {
    config: normalized,
    layer: 0,
    direction: reverse ? 1 : 0,
    inputSize: layerInputSize(normalized, 0),
    hiddenSize: normalized.hiddenSize,
    outputSize: outputSize(normalized),
  };
  const all = initWeights({ ...config, bidirectional: true }, { seed });
  const names = layerWeightNames(normalized, 0, reverse ? 1 : 0);
  const weights = {} as Problem['weights'];
  for (const key of KEYS) {
    const name = names[key];
    weights[key] = name === null ? null : Float64Array.from(all[name]);
  }
  const [T, B] = [4, 3];
  const random = createRandom(seed + 1);
  const H = spec.hiddenSize;
  const Hout = spec.outputSize;
  const lstm = normalized.cell === 'lstm';
  const f64 = (n: number, range: number) => Float64Array.from(uniformArray(n, -range, range, random));
  return {
    spec,
    weights,
    x: f64(T * B * spec.inputSize, 2),
    h0: f64(B * Hout, 1),
    c0: lstm ? f64(B * H, 1) : null,
    wOut: f64(T * B * Hout, 1),
    wH: f64(B * Hout, 1),
    wC: lstm ? f64(B * H, 1) : null,
    steps: T,
    batch: B,
    reverse,
    seqLens: seqLens === null ? null : Int32Array.from(seqLens),
  };
}

function packed(p: Problem) {
  const kernels = createTsKernels('f64');
  // The kernels copy weights into their own Float64Arrays: float64 weights pass through exactly.
  const layer = kernels.packLayer(p.spec, p.weights as unknown as LayerWeights);
  return { kernels, layer };
}

function loss(p: Problem): number {
  const { kernels, layer } = packed(p);
  const { steps: T, batch: B } = p;
  const Hout = p.spec.outputSize;
  const output = new Float64Array(T * B * Hout);
  const h = Float64Array.from(p.h0);
  const c = p.c0 ? Float64Array.from(p.c0) : null;
  kernels.runSequence({
    layer,
    steps: T,
    batch: B,
    input: p.x,
    output,
    outputStride: Hout,
    outputOffset: 0,
    h,
    hOffset: 0,
    c,
    cOffset: 0,
    reverse: p.reverse,
    seqLens: p.seqLens,
    gates: null,
  });
  let sum = 0;
  output.forEach((v, k) => {
    sum += v * p.wOut[k];
  });
  h.forEach((v, k) => {
    sum += v * p.wH[k];
  });
  if (c) {
    c.forEach((v, k) => {
      sum += v * p.wC![k];
    });
  }
  return sum;
}

/** Recorded forward + backward. dInput and the gradients start at `base` values to show that
 * the kernel adds into them. */
function backward(p: Problem, base: number, chunkValues?: number) {
  const { kernels, layer } = packed(p);
  const { steps: T, batch: B } = p;
  const H = p.spec.hiddenSize;
  const Hout = p.spec.outputSize;
  const tape = new Float64Array(kernels.tapeLength!(layer, T, B));
  const h = Float64Array.from(p.h0);
  const c = p.c0 ? Float64Array.from(p.c0) : null;
  const job = {
    layer,
    steps: T,
    batch: B,
    input: p.x,
    reverse: p.reverse,
    seqLens: p.seqLens,
  };
  kernels.runSequence({
    ...job,
    output: new Float64Array(T * B * Hout),
    outputStride: Hout,
    outputOffset: 0,
    h,
    hOffset: 0,
    c,
    cOffset: 0,
    gates: null,
    tape,
  });
  const layout = gradientLayout(p.spec);
  const gradients = new Float64Array(layout.length).fill(base);
  const dInput = new Float64Array(p.x.length).fill(base);
  const dh = Float64Array.from(p.wH);
  const dc = p.wC ? Float64Array.from(p.wC) : null;
  const backwardJob = {
    ...job,
    tape,
    dOutput: p.wOut,
    dOutputStride: Hout,
    dOutputOffset: 0,
    dh,
    dhOffset: 0,
    dc,
    dcOffset: 0,
    dInput,
    gradients,
    gradientsOffset: 0,
    layout,
  };
  if (chunkValues === undefined) kernels.runSequenceBackward!(backwardJob);
  else {
    const weights = transposeWeights(layer, Float64Array);
    runSequenceBackward(backwardJob, createGradientWorkspace(Float64Array), weights, chunkValues);
  }
  expect(H).toBe(p.spec.hiddenSize);
  return {
    gradients: gradients.map((v) => v - base),
    dx: dInput.map((v) => v - base),
    dh0: dh,
    dc0: dc,
    layout,
  };
}

/** Central finite difference of the loss in every entry of `values` (a view into `p`). */
function finiteDifferences(p: Problem, values: Float64Array): Float64Array {
  const eps = 1e-6;
  const out = new Float64Array(values.length);
  for (let k = 0; k < values.length; k++) {
    const saved = values[k];
    values[k] = saved + eps;
    const up = loss(p);
    values[k] = saved - eps;
    const down = loss(p);
    values[k] = saved;
    out[k] = (up - down) / (2 * eps);
  }
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) {
    const tolerance = 1e-7 + 1e-6 * Math.abs(expected[k]);
    if (!(Math.abs(actual[k] - expected[k]) <= tolerance)) {
      expect.fail(`${what}[${k}]: backward ${actual[k]}, finite difference ${expected[k]}`);
    }
  }
}

const CASES: Record<string, RecurrentConfig> = {
  'an LSTM': { cell: 'lstm', inputSize: 3, hiddenSize: 4 },
  'an LSTM with peepholes, projection and clip': {
    cell: 'lstm',
    inputSize: 3,
    hiddenSize: 4,
    peephole: true,
    projSize: 2,
    clip: 0.8,
  },
  'a coupled-gate LSTM with peepholes and no bias': {
    cell: 'lstm',
    inputSize: 2,
    hiddenSize: 3,
    coupledInputForget: true,
    peephole: true,
    bias: false,
  },
  'an LSTM with hardSigmoid, elu and softsign': {
    cell: 'lstm',
    inputSize: 3,
    hiddenSize: 3,
    activations: { gate: 'hardSigmoid', candidate: 'elu', cell: 'softsign' },
  },
  'an LSTM with scaledTanh, affine and softplus': {
    cell: 'lstm',
    inputSize: 2,
    hiddenSize: 3,
    activations: {
      gate: { name: 'scaledTanh', alpha: 0.5, beta: 1.5 },
      candidate: { name: 'affine', alpha: 0.7, beta: 0.1 },
      cell: 'softplus',
    },
  },
  'a GRU (resetAfter)': { cell: 'gru', inputSize: 3, hiddenSize: 4 },
  'a reset-before GRU': { cell: 'gru', inputSize: 3, hiddenSize: 4, resetAfter: false },
  'a reset-before GRU with clip, no bias, leakyRelu and relu': {
    cell: 'gru',
    inputSize: 2,
    hiddenSize: 3,
    resetAfter: false,
    bias: false,
    clip: 0.7,
    activations: { gate: { name: 'leakyRelu', alpha: 0.1 }, candidate: 'relu' },
  },
  'a GRU with clip and hardSigmoid gates': {
    cell: 'gru',
    inputSize: 2,
    hiddenSize: 3,
    clip: 0.6,
    activations: { gate: 'hardSigmoid', candidate: 'softsign' },
  },
  'a tanh RNN': { cell: 'rnn', inputSize: 3, hiddenSize: 4 },
  'a clipped relu RNN': { cell: 'rnn', inputSize: 3, hiddenSize: 4, nonlinearity: 'relu', clip: 0.9 },
};

const VARIANTS: [string, boolean, number[] | null][] = [
  ['forward', false, null],
  ['reverse', true, null],
  ['forward with seqLens', false, [4, 2, 0]],
  ['reverse with seqLens', true, [1, 4, 3]],
];

describe('runSequenceBackward', () => {
  for (const [name, config] of Object.entries(CASES)) {
    it.each(VARIANTS)(
      `equals central finite differences of the float64 forward for ${name}, %s`,
      (_, reverse, lens) => {
        const p = problem(config, reverse, lens, name.length * 7 + (reverse ? 1 : 0));
        const result = backward(p, 0.25);
        for (const key of KEYS) {
          const values = p.weights[key];
          const offset = result.layout[key];
          if (values === null || offset === null) continue;
          const got = result.gradients.subarray(offset, offset + values.length);
          expectClose(got, finiteDifferences(p, values), key);
        }
        expectClose(result.dx, finiteDifferences(p, p.x), 'dx');
        expectClose(result.dh0, finiteDifferences(p, p.h0), 'dh0');
        if (p.c0) expectClose(result.dc0!, finiteDifferences(p, p.c0), 'dc0');
      },
    );
  }

  it.each([
    'an LSTM with peepholes, projection and clip',
    'a GRU (resetAfter)',
    'a reset-before GRU',
    'a clipped relu RNN',
  ])('gives the same gradients a chunk of 1 or 3 steps at a time for %s', (name) => {
    for (const [reverse, lens] of [
      [false, [4, 2, 0]],
      [true, [1, 4, 3]],
    ] as const) {
      const p = problem(CASES[name]!, reverse, [...lens], 5);
      const whole = backward(p, 0.5);
      // Gate-gradient values per row (run-sequence-backward.ts's gatePlan).
      const { cell, resetAfter } = p.spec.config;
      const gates = cell === 'rnn' ? 1 : cell === 'gru' && !resetAfter ? 3 : 4;
      const width = gates * p.spec.hiddenSize;
      for (const steps of [1, 3]) {
        const chunked = backward(p, 0.5, steps * p.batch * width);
        for (const key of ['gradients', 'dx', 'dh0', 'dc0'] as const) {
          const a = chunked[key];
          const b = whole[key];
          if (a === null || b === null) continue;
          expect(a.length).toBe(b.length);
          for (let k = 0; k < a.length; k++) expect(a[k]).toBeCloseTo(b[k], 13);
        }
      }
    }
  });

  it('gives zero gradient to x at masked steps and to the forget rows of a coupled LSTM', () => {
    const p = problem(CASES['a coupled-gate LSTM with peepholes and no bias']!, false, [4, 2, 0], 3);
    const { gradients, dx, layout } = backward(p, 0);
    const [I, H] = [p.spec.inputSize, p.spec.hiddenSize];
    for (let t = 0; t < p.steps; t++) {
      for (let b = 0; b < p.batch; b++) {
        const row = Array.from(dx.subarray((t * p.batch + b) * I, (t * p.batch + b + 1) * I));
        if (t >= p.seqLens![b]) expect(row).toEqual(new Array(I).fill(0));
        else expect(row.some((v) => v !== 0)).toBe(true);
      }
    }
    const forgetIh = gradients.subarray(layout.weightIh + H * I, layout.weightIh + 2 * H * I);
    const forgetPh = gradients.subarray(layout.weightPh! + H, layout.weightPh! + 2 * H);
    expect([...forgetIh, ...forgetPh].every((v) => v === 0)).toBe(true);
  });
});
