import { type ConformanceCase, defineCase } from './conformance-case.js';

const overflow = { overflow: true } as const;

/** Pre-activations beyond the f32 range (see OVERFLOW_INPUT): every bounded activation
 * saturates as in the float64 reference (σ → 0 or 1, tanh → ±1), never NaN, never the wrong
 * sign. Bounded activations only: an unbounded one would carry ±Infinity into the state. */
export const OVERFLOW_CASES: readonly ConformanceCase[] = [
  defineCase(
    'lstm pre-activations beyond f32',
    { cell: 'lstm', inputSize: 3, hiddenSize: 5 },
    { T: 4, B: 3 },
    overflow,
  ),
  defineCase(
    'lstm peephole clip pre-activations beyond f32',
    { cell: 'lstm', inputSize: 3, hiddenSize: 5, peephole: true, clip: 3 },
    { T: 4, B: 2 },
    overflow,
  ),
  defineCase(
    'lstm bidirectional stack pre-activations beyond f32',
    { cell: 'lstm', inputSize: 2, hiddenSize: 4, numLayers: 2, bidirectional: true },
    { T: 3, B: 2 },
    { overflow: true, h0: true, c0: true },
  ),
  defineCase(
    'gru pre-activations beyond f32',
    { cell: 'gru', inputSize: 3, hiddenSize: 5 },
    { T: 4, B: 3 },
    overflow,
  ),
  defineCase(
    'gru resetAfter false pre-activations beyond f32',
    { cell: 'gru', inputSize: 3, hiddenSize: 5, resetAfter: false },
    { T: 4, B: 2 },
    overflow,
  ),
  defineCase(
    'gru hardSigmoid softsign pre-activations beyond f32',
    { cell: 'gru', inputSize: 3, hiddenSize: 4, activations: { gate: 'hardSigmoid', candidate: 'softsign' } },
    { T: 3, B: 2 },
    overflow,
  ),
  defineCase(
    'rnn tanh pre-activations beyond f32',
    { cell: 'rnn', inputSize: 3, hiddenSize: 5 },
    { T: 4, B: 3 },
    overflow,
  ),
];
