import {
  createRandom,
  GatedError,
  normalizeConfig,
  numDirections,
  outputSize,
  type RecurrentConfig,
  type UpstreamGradients,
  uniformArray,
} from '@gated/core';
import {
  buildCaseData,
  type CaseData,
  type CaseOptions,
  type ConformanceCase,
  defineCase,
} from './conformance-case.js';

/** A part of a forward's result that an upstream gradient may be given for. */
export type UpstreamPart = 'output' | 'h' | 'c';

/** A named, seeded training case: a recorded forward, then a backward with seeded upstream
 * gradients for the parts listed (the others omitted, i.e. zero). */
export interface GradientCase extends ConformanceCase {
  readonly upstream: readonly UpstreamPart[];
  /** 'gradients': backward's result is compared with the float64 reference; 'UNSUPPORTED':
   * `recordForward` must refuse the model (an activation without a derivative). */
  readonly expect: 'gradients' | 'UNSUPPORTED';
}

const ALL_PARTS: readonly UpstreamPart[] = ['output', 'h', 'c'];

function gradientCase(
  name: string,
  config: RecurrentConfig,
  shape: { T?: number; B?: number; inputScale?: number } = {},
  options: CaseOptions & { upstream?: readonly UpstreamPart[]; expect?: GradientCase['expect'] } = {},
): GradientCase {
  const { upstream, expect, ...caseOptions } = options;
  const parts = (upstream ?? ALL_PARTS).filter((part) => part !== 'c' || config.cell === 'lstm');
  return { ...defineCase(name, config, shape, caseOptions), upstream: parts, expect: expect ?? 'gradients' };
}

const lstm = (inputSize: number, hiddenSize: number, more: Partial<RecurrentConfig> = {}): RecurrentConfig =>
  ({ cell: 'lstm', inputSize, hiddenSize, ...more }) as RecurrentConfig;
const gru = (inputSize: number, hiddenSize: number, more: Partial<RecurrentConfig> = {}): RecurrentConfig =>
  ({ cell: 'gru', inputSize, hiddenSize, ...more }) as RecurrentConfig;
const rnn = (inputSize: number, hiddenSize: number, more: Partial<RecurrentConfig> = {}): RecurrentConfig =>
  ({ cell: 'rnn', inputSize, hiddenSize, ...more }) as RecurrentConfig;

const state = { h0: true, c0: true } as const;

/** Every cell, both GRU variants, every activation with a derivative (thresholdedRelu: a case
 * that expects UNSUPPORTED), peepholes, projection, coupled input-forget, clip, stacks, both
 * directions, batchFirst, seqLens with 0 and T, omitted upstream parts; H = 5, 17, 33 and
 * I = 3, 17 (SIMD tails), odd B, T = 1 and T = 40. Small, so that CI stays quick. */
export const GRADIENT_CASES: readonly GradientCase[] = [
  gradientCase('grad lstm basic h0 c0', lstm(4, 5), { T: 4, B: 3 }, state),
  gradientCase('grad lstm H=17 I=3', lstm(3, 17), { T: 3, B: 3 }),
  gradientCase('grad lstm H=33 I=17 B=1', lstm(17, 33), { T: 2, B: 1 }),
  gradientCase('grad lstm T=1 B=5', lstm(3, 5), { T: 1, B: 5 }, state),
  gradientCase('grad lstm long T=40', lstm(3, 5), { T: 40, B: 3 }),
  gradientCase('grad lstm projection', lstm(4, 5, { projSize: 3 }), { T: 4, B: 3 }, state),
  gradientCase('grad lstm peephole h0 c0', lstm(3, 5, { peephole: true }), { T: 5, B: 3 }, state),
  gradientCase('grad lstm coupled input-forget', lstm(3, 5, { coupledInputForget: true }), { T: 4, B: 2 }),
  gradientCase(
    'grad lstm coupled peephole no bias',
    lstm(3, 5, { coupledInputForget: true, peephole: true, bias: false }),
    { T: 4, B: 3 },
    state,
  ),
  gradientCase('grad lstm clip', lstm(3, 5, { clip: 0.5 }), { T: 5, B: 3, inputScale: 3 }),
  gradientCase(
    'grad lstm stack bidirectional projection peephole clip',
    lstm(3, 5, { numLayers: 2, bidirectional: true, projSize: 3, peephole: true, clip: 0.8 }),
    { T: 4, B: 3, inputScale: 2 },
    state,
  ),
  gradientCase(
    'grad lstm bidirectional batchFirst seqLens 0 and T',
    lstm(3, 5, { bidirectional: true, batchFirst: true }),
    { T: 5, B: 3 },
    { ...state, seqLens: [0, 5, 2] },
  ),
  gradientCase(
    'grad lstm stack seqLens',
    lstm(3, 5, { numLayers: 2 }),
    { T: 5, B: 3 },
    { seqLens: [3, 5, 1] },
  ),
  gradientCase('grad lstm upstream output only', lstm(3, 5), { T: 4, B: 3 }, { upstream: ['output'] }),
  gradientCase('grad lstm upstream h only', lstm(3, 5), { T: 4, B: 3 }, { ...state, upstream: ['h'] }),
  gradientCase(
    'grad lstm upstream c only bidirectional',
    lstm(3, 5, { bidirectional: true }),
    { T: 4, B: 3 },
    { upstream: ['c'] },
  ),
  gradientCase('grad lstm no upstream', lstm(3, 5), { T: 3, B: 3 }, { upstream: [] }),
  gradientCase(
    'grad lstm hardSigmoid leakyRelu softsign',
    lstm(3, 5, {
      activations: {
        gate: { name: 'hardSigmoid', alpha: 0.5, beta: 0.5 },
        candidate: { name: 'leakyRelu', alpha: 0.1 },
        cell: 'softsign',
      },
    }),
    { T: 4, B: 3, inputScale: 2 },
  ),
  gradientCase(
    'grad lstm elu scaledTanh affine',
    lstm(3, 5, {
      activations: {
        gate: { name: 'affine', alpha: 0.3, beta: 0.5 },
        candidate: { name: 'elu', alpha: 0.7 },
        cell: { name: 'scaledTanh', alpha: 1.3, beta: 0.8 },
      },
    }),
    { T: 4, B: 3, inputScale: 2 },
  ),
  gradientCase('grad gru resetAfter H=17 h0', gru(3, 17), { T: 4, B: 3 }, { h0: true }),
  gradientCase('grad gru resetBefore I=17 H=5', gru(17, 5, { resetAfter: false }), { T: 4, B: 3 }),
  gradientCase('grad gru resetAfter H=33 B=1', gru(3, 33), { T: 3, B: 1 }),
  gradientCase('grad gru T=1', gru(3, 5, { resetAfter: false }), { T: 1, B: 3 }, { h0: true }),
  gradientCase('grad gru long T=40 batchFirst', gru(3, 5, { batchFirst: true }), { T: 40, B: 3 }),
  gradientCase(
    'grad gru resetBefore stack bidirectional seqLens 0 and T',
    gru(3, 5, { resetAfter: false, numLayers: 2, bidirectional: true }),
    { T: 5, B: 3 },
    { h0: true, seqLens: [5, 0, 3] },
  ),
  gradientCase('grad gru resetAfter clip', gru(3, 5, { clip: 0.6 }), { T: 4, B: 3, inputScale: 3 }),
  gradientCase('grad gru resetBefore clip', gru(3, 5, { resetAfter: false, clip: 0.6 }), {
    T: 4,
    B: 3,
    inputScale: 3,
  }),
  gradientCase(
    'grad gru hardSigmoid relu',
    gru(3, 5, { activations: { gate: { name: 'hardSigmoid', alpha: 0.4, beta: 0.45 }, candidate: 'relu' } }),
    { T: 4, B: 3, inputScale: 2 },
  ),
  gradientCase(
    'grad gru resetBefore softsign softplus',
    gru(3, 5, { resetAfter: false, activations: { gate: 'softsign', candidate: 'softplus' } }),
    { T: 4, B: 3, inputScale: 2 },
  ),
  gradientCase('grad gru upstream h only', gru(3, 5), { T: 4, B: 3 }, { h0: true, upstream: ['h'] }),
  gradientCase('grad gru no bias', gru(3, 5, { bias: false }), { T: 4, B: 3 }),
  gradientCase('grad rnn tanh H=33 h0', rnn(3, 33), { T: 4, B: 3 }, { h0: true }),
  gradientCase(
    'grad rnn relu stack bidirectional',
    rnn(3, 5, { nonlinearity: 'relu', numLayers: 2, bidirectional: true }),
    { T: 4, B: 3 },
  ),
  gradientCase(
    'grad rnn leakyRelu clip seqLens',
    rnn(3, 5, { clip: 0.7, activations: { candidate: { name: 'leakyRelu', alpha: 0.2 } } }),
    { T: 5, B: 3, inputScale: 2 },
    { seqLens: [5, 0, 2] },
  ),
  gradientCase('grad rnn elu no bias', rnn(3, 5, { bias: false, activations: { candidate: 'elu' } }), {
    T: 4,
    B: 3,
  }),
  gradientCase('grad rnn long T=40', rnn(3, 5), { T: 40, B: 3 }),
  gradientCase(
    'grad lstm thresholdedRelu is UNSUPPORTED',
    lstm(3, 5, { activations: { candidate: 'thresholdedRelu' } }),
    { T: 3, B: 2 },
    { expect: 'UNSUPPORTED' },
  ),
];

/** A gradient case's data: the case's weights, x, h0, c0, seqLens (as buildCaseData), and
 * upstream gradients U(−1, 1) from a stream of their own for the parts it lists. */
export interface GradientCaseData extends CaseData {
  readonly upstream: UpstreamGradients;
}

export function buildGradientCaseData(testCase: GradientCase): GradientCaseData {
  const data = buildCaseData(testCase);
  const config = normalizeConfig(testCase.config);
  const { T, B } = testCase;
  const D = numDirections(config);
  const Hout = outputSize(config);
  const states = config.numLayers * D;
  const random = createRandom(testCase.seed + 104729);
  const shapes: Record<UpstreamPart, number[]> = {
    output: config.batchFirst ? [B, T, D * Hout] : [T, B, D * Hout],
    h: [states, B, Hout],
    c: [states, B, config.hiddenSize],
  };
  const upstream: { output?: typeof data.x; h?: typeof data.x; c?: typeof data.x } = {};
  for (const part of ALL_PARTS) {
    const shape = shapes[part];
    const values = uniformArray(
      shape.reduce((n, d) => n * d, 1),
      -1,
      1,
      random,
    );
    if (testCase.upstream.includes(part)) upstream[part] = { data: values, shape };
  }
  return { ...data, upstream };
}

export type GradientCaseSelection = readonly string[] | ((testCase: GradientCase) => boolean);

export function selectGradientCases(selection?: GradientCaseSelection): GradientCase[] {
  if (selection === undefined) return [...GRADIENT_CASES];
  if (typeof selection === 'function') return GRADIENT_CASES.filter(selection);
  const unknown = selection.filter((name) => !GRADIENT_CASES.some((c) => c.name === name));
  if (unknown.length > 0)
    throw new GatedError(
      'INVALID_INPUT',
      `options.gradientCases: expected names from the gradient catalogue, received ${unknown.map((n) => JSON.stringify(n)).join(', ')}`,
    );
  return GRADIENT_CASES.filter((c) => selection.includes(c.name));
}
