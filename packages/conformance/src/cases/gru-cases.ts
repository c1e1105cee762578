import { type ConformanceCase, defineCase } from './conformance-case.js';

const gates = { returnGates: true } as const;

/** GRU: both reset variants throughout, and the activations thresholdedRelu, elu and
 * hardSigmoid as gate. */
export const GRU_CASES: readonly ConformanceCase[] = [
  defineCase('gru basic', { cell: 'gru', inputSize: 4, hiddenSize: 8 }, { T: 5, B: 2 }, gates),
  defineCase(
    'gru resetAfter false',
    { cell: 'gru', inputSize: 4, hiddenSize: 8, resetAfter: false },
    { T: 5, B: 2 },
    gates,
  ),
  defineCase('gru H=1 I=1 B=1', { cell: 'gru', inputSize: 1, hiddenSize: 1 }, { T: 3, B: 1 }, gates),
  defineCase('gru T=1 B=5', { cell: 'gru', inputSize: 3, hiddenSize: 5 }, { T: 1, B: 5 }, gates),
  defineCase('gru long T=200', { cell: 'gru', inputSize: 2, hiddenSize: 3 }, { T: 200, B: 1 }),
  defineCase(
    'gru H=17 resetAfter false',
    { cell: 'gru', inputSize: 5, hiddenSize: 17, resetAfter: false },
    { T: 3, B: 3 },
  ),
  defineCase('gru H=33', { cell: 'gru', inputSize: 33, hiddenSize: 33 }, { T: 2, B: 3 }),
  defineCase('gru H=257', { cell: 'gru', inputSize: 3, hiddenSize: 257 }, { T: 2, B: 1 }),
  defineCase(
    'gru I=257 resetAfter false',
    { cell: 'gru', inputSize: 257, hiddenSize: 5, resetAfter: false },
    { T: 2, B: 2 },
  ),
  defineCase('gru no bias', { cell: 'gru', inputSize: 4, hiddenSize: 6, bias: false }, {}, gates),
  defineCase(
    'gru no bias resetAfter false',
    { cell: 'gru', inputSize: 4, hiddenSize: 6, bias: false, resetAfter: false },
    {},
    gates,
  ),
  defineCase(
    'gru clip',
    { cell: 'gru', inputSize: 4, hiddenSize: 6, clip: 0.5 },
    { T: 5, B: 2, inputScale: 3 },
    gates,
  ),
  defineCase('gru h0', { cell: 'gru', inputSize: 4, hiddenSize: 6 }, { T: 4, B: 3 }, { h0: true }),
  defineCase(
    'gru stack bidirectional h0',
    { cell: 'gru', inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true },
    { T: 4, B: 3 },
    { h0: true, returnGates: true },
  ),
  defineCase(
    'gru bidirectional seqLens resetAfter false',
    { cell: 'gru', inputSize: 3, hiddenSize: 5, bidirectional: true, resetAfter: false },
    { T: 5, B: 4 },
    { seqLens: [5, 0, 2, 1], h0: true, returnGates: true },
  ),
  defineCase(
    'gru seqLens',
    { cell: 'gru', inputSize: 3, hiddenSize: 4 },
    { T: 4, B: 3 },
    { seqLens: [4, 1, 0], h0: true },
  ),
  defineCase(
    'gru batchFirst',
    { cell: 'gru', inputSize: 3, hiddenSize: 5, batchFirst: true },
    { T: 4, B: 3 },
    { h0: true },
  ),
  defineCase(
    'gru saturating |x|≈50',
    { cell: 'gru', inputSize: 4, hiddenSize: 6 },
    { T: 6, B: 2, inputScale: 50 },
    gates,
  ),
  defineCase(
    'gru hardSigmoid gate thresholdedRelu candidate',
    {
      cell: 'gru',
      inputSize: 4,
      hiddenSize: 6,
      activations: { gate: 'hardSigmoid', candidate: { name: 'thresholdedRelu', alpha: 0.3 } },
    },
    { T: 5, B: 2 },
    gates,
  ),
  defineCase(
    'gru elu candidate resetAfter false',
    { cell: 'gru', inputSize: 4, hiddenSize: 6, resetAfter: false, activations: { candidate: 'elu' } },
    { T: 5, B: 2 },
    gates,
  ),
  defineCase(
    'gru thresholdedRelu candidate at its default alpha',
    { cell: 'gru', inputSize: 3, hiddenSize: 4, activations: { candidate: 'thresholdedRelu' } },
    { T: 4, B: 2, inputScale: 2 },
  ),
  defineCase('gru performance-shaped', { cell: 'gru', inputSize: 64, hiddenSize: 128 }, { T: 16, B: 8 }),
];
