import { INFERENCE_CAPABILITIES } from '@gated/core';
import { restrictedBackend } from './test-backends.js';
import { describeConformance } from './vitest.js';

// A backend that declares LSTM only: its GRU and RNN checks pass as "(or UNSUPPORTED: …)" tests
// with an 'unsupported' annotation (it throws UNSUPPORTED for them, as declared); its LSTM case
// passes every check.
// What an author sees when checks fail is tested in vitest-output.test.ts.
describeConformance(
  'an LSTM-only backend',
  () => restrictedBackend({ ...INFERENCE_CAPABILITIES, cells: ['lstm'] }),
  {
    cases: ['lstm basic', 'gru basic', 'rnn tanh'],
  },
);
