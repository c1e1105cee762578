import { type ConformanceCase, defineCase } from './conformance-case.js';

const gates = { returnGates: true } as const;

/** Elman RNN: tanh and relu, and the activations leakyRelu, softplus, sigmoid and
 * scaledTanh as its one activation. */
export const RNN_CASES: readonly ConformanceCase[] = [
  defineCase('rnn tanh', { cell: 'rnn', inputSize: 4, hiddenSize: 8 }, { T: 5, B: 2 }, gates),
  defineCase(
    'rnn relu',
    { cell: 'rnn', inputSize: 4, hiddenSize: 8, nonlinearity: 'relu' },
    { T: 5, B: 3 },
    gates,
  ),
  defineCase('rnn H=1 I=1 B=1', { cell: 'rnn', inputSize: 1, hiddenSize: 1 }, { T: 3, B: 1 }, gates),
  defineCase('rnn long T=200', { cell: 'rnn', inputSize: 2, hiddenSize: 5 }, { T: 200, B: 3 }),
  defineCase(
    'rnn H=257 relu',
    { cell: 'rnn', inputSize: 5, hiddenSize: 257, nonlinearity: 'relu' },
    { T: 3, B: 1 },
  ),
  defineCase(
    'rnn stack bidirectional seqLens',
    { cell: 'rnn', inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true },
    { T: 5, B: 3 },
    { seqLens: [0, 5, 3], h0: true, returnGates: true },
  ),
  defineCase('rnn no bias', { cell: 'rnn', inputSize: 4, hiddenSize: 6, bias: false }, {}, gates),
  defineCase(
    'rnn relu clip',
    { cell: 'rnn', inputSize: 4, hiddenSize: 6, nonlinearity: 'relu', clip: 0.25 },
    { inputScale: 3 },
    gates,
  ),
  defineCase(
    'rnn leakyRelu',
    {
      cell: 'rnn',
      inputSize: 4,
      hiddenSize: 6,
      activations: { candidate: { name: 'leakyRelu', alpha: 0.1 } },
    },
    { T: 5 },
    gates,
  ),
  defineCase(
    'rnn softplus',
    { cell: 'rnn', inputSize: 4, hiddenSize: 6, activations: { candidate: 'softplus' } },
    { T: 4 },
    gates,
  ),
  defineCase(
    'rnn sigmoid h0',
    { cell: 'rnn', inputSize: 4, hiddenSize: 6, activations: { candidate: 'sigmoid' } },
    {},
    { h0: true },
  ),
  defineCase(
    'rnn scaledTanh batchFirst h0',
    {
      cell: 'rnn',
      inputSize: 3,
      hiddenSize: 5,
      batchFirst: true,
      activations: { candidate: { name: 'scaledTanh', alpha: 1.7, beta: 0.66 } },
    },
    { T: 4, B: 3 },
    { h0: true },
  ),
  defineCase(
    'rnn saturating |x|≈50',
    { cell: 'rnn', inputSize: 4, hiddenSize: 6 },
    { T: 5, B: 2, inputScale: 50 },
    gates,
  ),
];
