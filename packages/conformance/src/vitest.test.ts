import { ALL_CAPABILITIES } from '@gated/core';
import { inferenceOnlyBackend } from './gradient-test-backends.test-helper.js';
import { restrictedBackend } from './test-backends.js';
import { describeConformance } from './vitest.js';

const GRADIENT_CASES = [
  'grad lstm basic h0 c0',
  'grad gru no bias',
  'grad lstm thresholdedRelu is UNSUPPORTED',
];

// A backend that declares LSTM only: its GRU and RNN checks (gradients too) pass as "(or
// UNSUPPORTED: …)" tests with an 'unsupported' annotation (it throws UNSUPPORTED for them, as
// declared); its LSTM cases pass every check.
// What an author sees when checks fail is tested in vitest-output.test.ts.
describeConformance(
  'an LSTM-only backend',
  () => restrictedBackend({ ...ALL_CAPABILITIES, cells: ['lstm'] }),
  {
    cases: ['lstm basic', 'gru basic', 'rnn tanh'],
    gradientCases: GRADIENT_CASES,
  },
);

// A backend that does not train: every gradient test and training contract check passes as
// "(or UNSUPPORTED: needs training)" with an annotation.
describeConformance('a backend that does not train', inferenceOnlyBackend, {
  cases: [],
  gradientCases: GRADIENT_CASES,
});
