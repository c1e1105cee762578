import { ALL_CAPABILITIES } from '@gated/core';
import { restrictedBackend } from './test-backends.js';
import { describeConformance } from './vitest.js';

// A backend that declares LSTM only: its GRU and RNN cases appear as passing
// "unsupported: …" tests that assert it really throws UNSUPPORTED.
describeConformance(
  'an LSTM-only backend',
  () => restrictedBackend({ ...ALL_CAPABILITIES, cells: ['lstm'] }),
  {
    cases: ['lstm basic', 'gru basic', 'rnn tanh'],
  },
);
