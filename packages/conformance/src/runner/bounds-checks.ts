import {
  type Backend,
  initWeights,
  MAX_LAYERS,
  type RecurrentConfig,
  type RecurrentModel,
} from '@gated/core';
import { pattern } from './call-semantics-checks.js';
import { type ContractCheck, LSTM, withModel } from './check-helpers.js';
import { describeError, expectGatedError, isGatedErrorLike, type Outcome } from './gated-errors.js';

const fail = (message: string): Outcome => ({ status: 'fail', message });
const PASS: Outcome = { status: 'pass' };

/** A bidirectional RNN whose output row is 2048 wide: x of 1025 × 512 × 1 (2 MB) asks for an
 * output of 2^30 + 2^20 f32 values (over 4 GiB), which no backend can hold. */
const WIDE: RecurrentConfig = { cell: 'rnn', inputSize: 1, hiddenSize: 1024, bidirectional: true };

/** Costs are linear in the request and bounded: sizes beyond the documented bounds are refused
 * before anything is allocated, and disposing a backend mid-compile leaves nothing alive. */
export const BOUNDS_CHECKS: readonly ContractCheck[] = [
  {
    name: `numLayers above ${MAX_LAYERS} is INVALID_CONFIG naming numLayers`,
    run: (backend) =>
      expectGatedError('INVALID_CONFIG', 'numLayers', () =>
        backend.compile({ ...LSTM, numLayers: 2 ** 20 }, {}),
      ),
  },
  {
    name: 'a forward too large to hold is INVALID_INPUT naming x, and the model still works',
    cell: 'rnn',
    feature: 'bidirectional',
    run: (backend) =>
      withModel(backend, WIDE, async (model) => {
        const small = { data: pattern(2, 1), shape: [2, 1, 1] };
        const before = await model.forward(small);
        const refused = await expectGatedError('INVALID_INPUT', 'x', () =>
          model.forward({ data: new Float32Array(1025 * 512), shape: [1025, 512, 1] }),
        );
        if (refused.status !== 'pass') return refused;
        const after = await model.forward(small);
        return after.output.data.every((v, k) => Object.is(v, before.output.data[k]))
          ? PASS
          : fail('the model gave another result after a refused request');
      }),
  },
  {
    name: 'backend.dispose() during compile() leaves no live model',
    cell: 'lstm',
    needsFreshBackend: true,
    run: async (_backend, context) => {
      if (!context.createBackend) return fail('no createBackend in the check context');
      const backend: Backend = await context.createBackend();
      const pending = backend.compile(LSTM, initWeights(LSTM, { seed: 2 }));
      backend.dispose();
      let model: RecurrentModel;
      try {
        model = await pending;
      } catch (error) {
        return isGatedErrorLike(error, 'DISPOSED')
          ? PASS
          : fail(`expected the compile to end in DISPOSED, received ${describeError(error)}`);
      }
      const disposed = await expectGatedError('DISPOSED', 'disposed', () =>
        model.forward({ data: pattern(3, 1), shape: [1, 1, 3] }),
      );
      return disposed.status === 'pass'
        ? PASS
        : fail(`a model compiled while its backend was disposed still runs (${disposed.message})`);
    },
  },
];
