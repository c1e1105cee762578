import { type ConformanceCase, defineCase } from './conformance-case.js';

const gates = { returnGates: true } as const;

/** LSTM: every option (projection, peephole, coupled, clip, no bias) and the activations
 * hardSigmoid, softsign, scaledTanh, affine and elu in some role. */
export const LSTM_CASES: readonly ConformanceCase[] = [
  defineCase('lstm basic', { cell: 'lstm', inputSize: 4, hiddenSize: 8 }, { T: 5, B: 2 }, gates),
  defineCase('lstm H=1 I=1 B=1', { cell: 'lstm', inputSize: 1, hiddenSize: 1 }, { T: 3, B: 1 }, gates),
  defineCase('lstm T=1 B=3 H=5', { cell: 'lstm', inputSize: 3, hiddenSize: 5 }, { T: 1, B: 3 }, gates),
  defineCase('lstm long T=200', { cell: 'lstm', inputSize: 2, hiddenSize: 4 }, { T: 200, B: 3 }),
  defineCase('lstm H=3', { cell: 'lstm', inputSize: 3, hiddenSize: 3 }, { T: 4, B: 2 }, gates),
  defineCase('lstm H=17 B=5', { cell: 'lstm', inputSize: 5, hiddenSize: 17 }, { T: 3, B: 5 }),
  defineCase('lstm H=33 I=17', { cell: 'lstm', inputSize: 17, hiddenSize: 33 }, { T: 2, B: 3 }),
  defineCase('lstm H=257', { cell: 'lstm', inputSize: 3, hiddenSize: 257 }, { T: 2, B: 1 }),
  defineCase('lstm I=257', { cell: 'lstm', inputSize: 257, hiddenSize: 5 }, { T: 2, B: 2 }),
  defineCase(
    'lstm projection',
    { cell: 'lstm', inputSize: 4, hiddenSize: 8, projSize: 3 },
    { T: 5, B: 2 },
    gates,
  ),
  defineCase(
    'lstm projection stack bidirectional',
    { cell: 'lstm', inputSize: 3, hiddenSize: 7, projSize: 5, numLayers: 2, bidirectional: true },
    { T: 4, B: 3 },
    { h0: true, c0: true, returnGates: true },
  ),
  defineCase(
    'lstm no bias',
    { cell: 'lstm', inputSize: 4, hiddenSize: 6, bias: false },
    { T: 4, B: 2 },
    gates,
  ),
  defineCase(
    'lstm peephole',
    { cell: 'lstm', inputSize: 4, hiddenSize: 6, peephole: true },
    { T: 5, B: 2 },
    gates,
  ),
  defineCase(
    'lstm peephole h0 c0',
    { cell: 'lstm', inputSize: 3, hiddenSize: 5, peephole: true },
    { T: 3, B: 3 },
    { h0: true, c0: true, returnGates: true },
  ),
  defineCase(
    'lstm coupled input-forget',
    { cell: 'lstm', inputSize: 4, hiddenSize: 6, coupledInputForget: true },
    {},
    gates,
  ),
  defineCase(
    'lstm coupled peephole no bias',
    { cell: 'lstm', inputSize: 3, hiddenSize: 5, coupledInputForget: true, peephole: true, bias: false },
    { T: 5, B: 1 },
    gates,
  ),
  defineCase(
    'lstm clip',
    { cell: 'lstm', inputSize: 4, hiddenSize: 6, clip: 0.5 },
    { T: 5, B: 2, inputScale: 3 },
    gates,
  ),
  defineCase(
    'lstm h0 c0',
    { cell: 'lstm', inputSize: 4, hiddenSize: 6 },
    { T: 4, B: 3 },
    { h0: true, c0: true },
  ),
  defineCase('lstm h0 only', { cell: 'lstm', inputSize: 4, hiddenSize: 6 }, { T: 3, B: 2 }, { h0: true }),
  defineCase(
    'lstm stack of 3',
    { cell: 'lstm', inputSize: 4, hiddenSize: 5, numLayers: 3 },
    { T: 4, B: 2 },
    gates,
  ),
  defineCase(
    'lstm bidirectional',
    { cell: 'lstm', inputSize: 4, hiddenSize: 6, bidirectional: true },
    { T: 5, B: 2 },
    gates,
  ),
  defineCase(
    'lstm bidirectional seqLens',
    { cell: 'lstm', inputSize: 3, hiddenSize: 5, bidirectional: true },
    { T: 5, B: 4 },
    { seqLens: [3, 0, 5, 1], h0: true, c0: true, returnGates: true },
  ),
  defineCase(
    'lstm seqLens',
    { cell: 'lstm', inputSize: 3, hiddenSize: 5 },
    { T: 5, B: 3 },
    { seqLens: [0, 5, 2], returnGates: true },
  ),
  defineCase(
    'lstm batchFirst',
    { cell: 'lstm', inputSize: 3, hiddenSize: 5, batchFirst: true },
    { T: 4, B: 3 },
    { h0: true, c0: true },
  ),
  defineCase(
    'lstm batchFirst bidirectional stack seqLens',
    { cell: 'lstm', inputSize: 3, hiddenSize: 4, batchFirst: true, bidirectional: true, numLayers: 2 },
    { T: 6, B: 3 },
    { seqLens: [6, 2, 0], returnGates: true },
  ),
  defineCase(
    'lstm saturating |x|≈50',
    { cell: 'lstm', inputSize: 4, hiddenSize: 6 },
    { T: 6, B: 2, inputScale: 50 },
    gates,
  ),
  defineCase(
    'lstm hardSigmoid softsign scaledTanh',
    {
      cell: 'lstm',
      inputSize: 4,
      hiddenSize: 6,
      activations: {
        gate: 'hardSigmoid',
        candidate: 'softsign',
        cell: { name: 'scaledTanh', alpha: 0.7, beta: 1.3 },
      },
    },
    { T: 5, B: 2 },
    gates,
  ),
  defineCase(
    'lstm elu candidate affine cell',
    {
      cell: 'lstm',
      inputSize: 4,
      hiddenSize: 6,
      activations: { candidate: 'elu', cell: { name: 'affine', alpha: 0.5, beta: 0.1 } },
    },
    { T: 5, B: 2 },
    gates,
  ),
  // Parameters left at their ONNX defaults (α, β unset): an exporter must still write them,
  // onnxruntime does not apply the defaults itself.
  defineCase(
    'lstm scaledTanh candidate affine cell at default parameters',
    { cell: 'lstm', inputSize: 3, hiddenSize: 5, activations: { candidate: 'scaledTanh', cell: 'affine' } },
    { T: 4, B: 2 },
  ),
  defineCase(
    'lstm everything at once',
    {
      cell: 'lstm',
      inputSize: 5,
      hiddenSize: 6,
      projSize: 4,
      numLayers: 2,
      bidirectional: true,
      peephole: true,
      clip: 2,
      batchFirst: true,
    },
    { T: 5, B: 3, inputScale: 2 },
    { h0: true, c0: true, seqLens: [5, 0, 3], returnGates: true },
  ),
  defineCase('lstm performance-shaped', { cell: 'lstm', inputSize: 64, hiddenSize: 128 }, { T: 16, B: 8 }),
];
