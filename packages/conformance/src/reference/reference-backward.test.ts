import {
  createRandom,
  type GatedError,
  normalizeConfig,
  numDirections,
  outputSize,
  type RecurrentConfig,
  weightShapes,
} from '@gated/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type ReferenceUpstream, referenceBackward } from './reference-backward.js';
import { referenceForward } from './reference-forward.js';

// Central finite differences of the float64 referenceForward against referenceBackward. The
// loss is L = Σ u_output·output + Σ u_h·h + Σ u_c·c with seeded random upstream weights u;
// each checked coordinate's derivative is estimated by the five-point central difference
// (8(L(+s) − L(−s)) − (L(+2s) − L(−2s))) / 12s and must agree with the backward's gradient g
// within TOLERANCE · max(1, |g|). Why not the two-point (L(+s) − L(−s)) / 2s with s = 1e-6: its
// rounding error, ~1e-16·|L| / s, is ~1e-9 for these losses (|L| ≈ 10), the tolerance itself
// (measured: up to 4e-8 on the softplus LSTM). The five-point stencil's truncation error is
// ~s⁴·L⁽⁵⁾ ≈ 1e-15 and its rounding error ~1e-16·|L| / s ≈ 1e-11 at s = 2e-4 (measured max
// 2.6e-10 over all the checks here).
const STEP = 2e-4;
const TOLERANCE = 1e-9;
let worstError = 0;
let checkedCoordinates = 0;

afterAll(() => {
  console.log(
    `reference backward vs finite differences: ${checkedCoordinates} coordinates, max error ${worstError.toExponential(2)}`,
  );
});

interface Problem {
  config: RecurrentConfig;
  steps: number;
  batch: number;
  seqLens?: number[];
  /** Scale of the weights (default 1: U(−1/√H, 1/√H) · scale). */
  weightScale?: number;
  /** Which upstream parts are given (default all the cell has). */
  upstream?: ('output' | 'h' | 'c')[];
  /** Whether h0 (and c0) are given (default true). */
  initialState?: boolean;
  seed?: number;
}

type Values = Float64Array;

function uniform(length: number, random: () => number, bound = 1): Values {
  return Float64Array.from({ length }, () => (2 * random() - 1) * bound);
}

function setUp(problem: Problem) {
  const cfg = normalizeConfig(problem.config);
  const random = createRandom(problem.seed ?? 7);
  const { steps: T, batch: B } = problem;
  const D = numDirections(cfg);
  const Hout = outputSize(cfg);
  const states = cfg.numLayers * D;
  const bound = (problem.weightScale ?? 1) / Math.sqrt(cfg.hiddenSize);
  const weights: Record<string, Values> = {};
  for (const [name, shape] of Object.entries(weightShapes(cfg))) {
    weights[name] = uniform(
      shape.reduce((a, b) => a * b, 1),
      random,
      bound,
    );
  }
  const x = uniform(T * B * cfg.inputSize, random);
  const xShape = cfg.batchFirst ? [B, T, cfg.inputSize] : [T, B, cfg.inputSize];
  const lstm = cfg.cell === 'lstm';
  const withState = problem.initialState ?? true;
  const h0 = withState ? uniform(states * B * Hout, random) : undefined;
  const c0 = withState && lstm ? uniform(states * B * cfg.hiddenSize, random) : undefined;
  const parts = problem.upstream ?? (lstm ? ['output', 'h', 'c'] : ['output', 'h']);
  const upstream: ReferenceUpstream = {};
  if (parts.includes('output')) upstream.output = uniform(T * B * D * Hout, random);
  if (parts.includes('h')) upstream.h = uniform(states * B * Hout, random);
  if (parts.includes('c')) upstream.c = uniform(states * B * cfg.hiddenSize, random);
  return { cfg, weights, x, xShape, h0, c0, seqLens: problem.seqLens, upstream };
}

type SetUp = ReturnType<typeof setUp>;

function loss(s: SetUp, weights: Record<string, Values>, x: Values, h0?: Values, c0?: Values): number {
  const r = referenceForward(s.cfg, weights, { data: x, shape: s.xShape }, { h0, c0, seqLens: s.seqLens });
  const dot = (u: ArrayLike<number> | undefined, v: ArrayLike<number> | undefined) => {
    let sum = 0;
    if (u === undefined || v === undefined) return 0;
    for (let k = 0; k < u.length; k++) sum += u[k] * v[k];
    return sum;
  };
  return dot(s.upstream.output, r.output) + dot(s.upstream.h, r.h) + dot(s.upstream.c, r.c);
}

/** Every index of a short array; up to `most` spread over a longer one. */
function coordinates(length: number, most = 40): number[] {
  if (length <= most) return Array.from({ length }, (_, k) => k);
  return Array.from({ length: most }, (_, k) => Math.floor((k * length) / most));
}

/** The five-point central difference of the loss in `values[k]` (changed in place and restored). */
function finiteDifference(values: Values, k: number, evaluate: () => number): number {
  const saved = values[k];
  const at = (d: number) => {
    values[k] = saved + d;
    return evaluate();
  };
  const result = (8 * (at(STEP) - at(-STEP)) - (at(2 * STEP) - at(-2 * STEP))) / (12 * STEP);
  values[k] = saved;
  return result;
}

/** Checks the backward's gradient of every weight tensor, x, h0 and c0 (a spread of
 * coordinates of each) against finite differences; returns the gradients. */
function expectFiniteDifferencesAgree(problem: Problem) {
  const s = setUp(problem);
  const grads = referenceBackward(
    s.cfg,
    s.weights,
    { data: s.x, shape: s.xShape },
    { h0: s.h0, c0: s.c0, seqLens: s.seqLens },
    s.upstream,
  );
  const evaluate = () => loss(s, s.weights, s.x, s.h0, s.c0);
  const targets: [string, Values, Float64Array | undefined][] = [
    ...Object.entries(s.weights).map(([name, w]): [string, Values, Float64Array] => [
      name,
      w,
      grads.weights[name],
    ]),
    ['x', s.x, grads.x],
  ];
  if (s.h0) targets.push(['h0', s.h0, grads.h0]);
  if (s.c0) targets.push(['c0', s.c0, grads.c0]);
  const mismatches: string[] = [];
  for (const [name, values, gradient] of targets) {
    expect(gradient, name).toBeDefined();
    expect(gradient!.length, name).toBe(values.length);
    for (const k of coordinates(values.length)) {
      const fd = finiteDifference(values, k, evaluate);
      const g = gradient![k];
      const error = Math.abs(fd - g) / Math.max(1, Math.abs(g));
      worstError = Math.max(worstError, error);
      checkedCoordinates++;
      if (!(error <= TOLERANCE)) mismatches.push(`${name}[${k}]: backward ${g}, finite difference ${fd}`);
    }
  }
  expect(mismatches).toEqual([]);
  expect(Object.keys(grads.weights).sort()).toEqual(Object.keys(s.weights).sort());
  return { grads, s };
}

const lstm = (extra: Partial<RecurrentConfig> = {}): RecurrentConfig => ({
  cell: 'lstm',
  inputSize: 3,
  hiddenSize: 4,
  ...extra,
});

describe('referenceBackward agrees with central finite differences of referenceForward', () => {
  it('for a plain LSTM', () => {
    expectFiniteDifferencesAgree({ config: lstm(), steps: 4, batch: 2 });
  });

  it('for an LSTM with peepholes, projection and an active clip', () => {
    const config = lstm({ peephole: true, projSize: 2, clip: 0.7 });
    const { grads, s } = expectFiniteDifferencesAgree({ config, steps: 4, batch: 2, weightScale: 3 });
    // The clip is active: the same problem without it has other gradients.
    const unclipped = referenceBackward(
      { ...config, clip: undefined },
      s.weights,
      { data: s.x, shape: s.xShape },
      { h0: s.h0, c0: s.c0 },
      s.upstream,
    );
    expect(unclipped.weights.weight_ih_l0).not.toEqual(grads.weights.weight_ih_l0);
  });

  it('for a coupled input-forget LSTM, whose unused forget rows get zero gradient', () => {
    const { grads } = expectFiniteDifferencesAgree({
      config: lstm({ coupledInputForget: true, peephole: true }),
      steps: 4,
      batch: 2,
    });
    const H = 4;
    expect([...grads.weights.weight_ih_l0.subarray(H * 3, 2 * H * 3)].every((v) => v === 0)).toBe(true);
    expect([...grads.weights.weight_hh_l0.subarray(H * H, 2 * H * H)].every((v) => v === 0)).toBe(true);
    expect([...grads.weights.bias_hh_l0.subarray(H, 2 * H)].every((v) => v === 0)).toBe(true);
    expect([...grads.weights.weight_ph_l0.subarray(H, 2 * H)].every((v) => v === 0)).toBe(true);
    expect([...grads.weights.weight_ih_l0.subarray(0, H * 3)].some((v) => v !== 0)).toBe(true);
  });

  const activations = [
    'sigmoid',
    'tanh',
    'relu',
    { name: 'hardSigmoid', alpha: 0.3, beta: 0.45 },
    { name: 'leakyRelu', alpha: 0.1 },
    { name: 'scaledTanh', alpha: 1.3, beta: 0.7 },
    { name: 'affine', alpha: 0.8, beta: 0.1 },
    { name: 'elu', alpha: 0.6 },
    'softsign',
    'softplus',
  ] as const;
  for (const activation of activations) {
    const name = typeof activation === 'string' ? activation : activation.name;
    it(`for an LSTM whose gate, candidate and cell activations are all ${name}`, () => {
      expectFiniteDifferencesAgree({
        config: lstm({ activations: { gate: activation, candidate: activation, cell: activation } }),
        steps: 3,
        batch: 2,
        weightScale: 1.5,
      });
    });
  }

  it('for an LSTM mixing activations, each in its own role', () => {
    expectFiniteDifferencesAgree({
      config: lstm({ activations: { gate: 'hardSigmoid', candidate: 'softsign', cell: 'elu' } }),
      steps: 3,
      batch: 2,
      weightScale: 2,
    });
  });

  it('for a GRU with resetAfter (the default)', () => {
    expectFiniteDifferencesAgree({
      config: { cell: 'gru', inputSize: 3, hiddenSize: 4 },
      steps: 4,
      batch: 2,
    });
  });

  it('for a GRU with resetAfter false', () => {
    expectFiniteDifferencesAgree({
      config: { cell: 'gru', inputSize: 3, hiddenSize: 4, resetAfter: false },
      steps: 4,
      batch: 2,
    });
  });

  it('for both GRU variants with an active clip and other activations', () => {
    for (const resetAfter of [true, false]) {
      expectFiniteDifferencesAgree({
        config: {
          cell: 'gru',
          inputSize: 3,
          hiddenSize: 3,
          resetAfter,
          clip: 0.8,
          activations: { gate: 'hardSigmoid', candidate: 'softsign' },
        },
        steps: 3,
        batch: 2,
        weightScale: 3,
      });
    }
  });

  it('for an RNN with tanh and with relu', () => {
    for (const nonlinearity of ['tanh', 'relu'] as const) {
      expectFiniteDifferencesAgree({
        config: { cell: 'rnn', inputSize: 3, hiddenSize: 4, nonlinearity },
        steps: 4,
        batch: 2,
      });
    }
  });

  it('without bias, for each cell', () => {
    for (const cell of ['lstm', 'gru', 'rnn'] as const) {
      const { grads } = expectFiniteDifferencesAgree({
        config: { cell, inputSize: 3, hiddenSize: 3, bias: false },
        steps: 3,
        batch: 2,
      });
      expect(Object.keys(grads.weights).some((name) => name.startsWith('bias'))).toBe(false);
    }
  });

  it('for a 2-layer bidirectional LSTM stack with projection', () => {
    expectFiniteDifferencesAgree({
      config: lstm({ numLayers: 2, bidirectional: true, projSize: 2 }),
      steps: 3,
      batch: 2,
    });
  });

  it('for a 2-layer bidirectional GRU stack with resetAfter false', () => {
    expectFiniteDifferencesAgree({
      config: {
        cell: 'gru',
        inputSize: 2,
        hiddenSize: 3,
        numLayers: 2,
        bidirectional: true,
        resetAfter: false,
      },
      steps: 3,
      batch: 2,
    });
  });

  it('with batchFirst, bidirectional', () => {
    expectFiniteDifferencesAgree({
      config: lstm({ batchFirst: true, bidirectional: true }),
      steps: 3,
      batch: 3,
    });
  });

  it('with seqLens including 0 and T, in a bidirectional stack: masked steps give nothing to x', () => {
    const T = 4;
    const { grads, s } = expectFiniteDifferencesAgree({
      config: lstm({ bidirectional: true, numLayers: 2 }),
      steps: T,
      batch: 3,
      seqLens: [T, 0, 2],
    });
    const I = 3;
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < 3; b++) {
        const row = grads.x.subarray((t * 3 + b) * I, (t * 3 + b + 1) * I);
        if (t >= s.seqLens![b]) expect([...row]).toEqual([0, 0, 0]);
        else expect([...row].some((v) => v !== 0)).toBe(true);
      }
    }
    // L_b = 0: the final h and c are h0 and c0, so their gradients pass straight through.
    const H = 4;
    for (let index = 0; index < 4; index++) {
      const at = (index * 3 + 1) * H;
      expect([...grads.h0.subarray(at, at + H)]).toEqual([...(s.upstream.h as Values).subarray(at, at + H)]);
      expect([...grads.c0!.subarray(at, at + H)]).toEqual([...(s.upstream.c as Values).subarray(at, at + H)]);
    }
  });

  it('with seqLens on a GRU and batchFirst', () => {
    expectFiniteDifferencesAgree({
      config: { cell: 'gru', inputSize: 3, hiddenSize: 3, batchFirst: true, bidirectional: true },
      steps: 3,
      batch: 3,
      seqLens: [1, 3, 0],
    });
  });

  it('with only some upstream parts given, and without h0/c0', () => {
    for (const upstream of [['output'], ['h'], ['c'], ['h', 'c']] as const) {
      expectFiniteDifferencesAgree({
        config: lstm({ bidirectional: true }),
        steps: 3,
        batch: 2,
        upstream: [...upstream],
        initialState: false,
      });
    }
  });
});

describe('referenceBackward', () => {
  const config = lstm();
  const s = setUp({ config, steps: 2, batch: 2 });
  const x = { data: s.x, shape: s.xShape };

  it('gives zero gradients when no upstream gradient is given', () => {
    const grads = referenceBackward(config, s.weights, x);
    for (const values of [...Object.values(grads.weights), grads.x, grads.h0, grads.c0!]) {
      expect(values.every((v) => v === 0)).toBe(true);
    }
    expect(grads.xShape).toEqual(s.xShape);
    expect(grads.h0Shape).toEqual([1, 2, 4]);
    expect(grads.c0Shape).toEqual([1, 2, 4]);
  });

  it("passes the gradient through clip at exactly ±clip (torch.clamp's closed interval) and not beyond", () => {
    // One RNN step, one unit: a = x (W_ih = 1, W_hh = 0, no bias), h′ = tanh(clamp(a, −0.5, 0.5)).
    const rnn = { cell: 'rnn', inputSize: 1, hiddenSize: 1, bias: false, clip: 0.5 } as const;
    const w = { weight_ih_l0: [1], weight_hh_l0: [0] };
    const dx = (value: number) =>
      referenceBackward(rnn, w, { data: [value], shape: [1, 1, 1] }, {}, { h: [1] }).x[0];
    const slope = 1 - Math.tanh(0.5) ** 2;
    expect(dx(0.5)).toBe(slope);
    expect(dx(-0.5)).toBe(slope);
    expect(dx(0.25)).toBe(1 - Math.tanh(0.25) ** 2);
    expect(dx(0.5000001)).toBe(0);
    expect(dx(-0.75)).toBe(0);
  });

  it('refuses thresholdedRelu as UNSUPPORTED, naming it', () => {
    const cfg = lstm({ activations: { cell: 'thresholdedRelu' } });
    expect(() => referenceBackward(cfg, s.weights, x)).toThrow(/thresholdedRelu/);
    try {
      referenceBackward(cfg, s.weights, x);
    } catch (error) {
      expect((error as GatedError).code).toBe('UNSUPPORTED');
    }
  });

  it('refuses upstream gradients of the wrong size, and c for a GRU, naming the argument', () => {
    expect(() => referenceBackward(config, s.weights, x, {}, { output: [1, 2] })).toThrow(/upstream\.output/);
    const gru = { cell: 'gru', inputSize: 3, hiddenSize: 4 } as const;
    const g = setUp({ config: gru, steps: 2, batch: 2 });
    expect(() =>
      referenceBackward(gru, g.weights, { data: g.x, shape: g.xShape }, {}, { c: new Float64Array(8) }),
    ).toThrow(/upstream\.c/);
  });
});
