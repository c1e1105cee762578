import type { Backend } from '@gated/core';
import { BOUNDS_CHECKS } from './bounds-checks.js';
import { CALL_SEMANTICS_CHECKS } from './call-semantics-checks.js';
import {
  B,
  type CheckContext,
  type ContractCheck,
  compileWith,
  GRU,
  LSTM,
  rejectsForward,
  sameBits,
  sequence,
  step,
  T,
  withModel,
} from './check-helpers.js';
import { expectGatedError, type Outcome, outcomeOfThrow } from './gated-errors.js';
import { HOSTILE_INPUT_CHECKS } from './hostile-input-checks.js';
import { TRAINING_CHECKS } from './training-checks.js';

export type { CheckContext, ContractCheck } from './check-helpers.js';

/** Bad input is a GatedError that names the argument, and never damages the model. */
const INPUT_CHECKS: readonly ContractCheck[] = [
  rejectsForward('x of rank 2 is INVALID_INPUT naming x', 'x', LSTM, (m) =>
    m.forward({ data: new Float32Array(6), shape: [2, 3] }),
  ),
  rejectsForward('x with the wrong input size is INVALID_INPUT naming x', 'x', LSTM, (m) =>
    m.forward({ data: new Float32Array(8), shape: [2, 1, 4] }),
  ),
  rejectsForward('non-finite x is INVALID_INPUT naming x', 'x', LSTM, (m) =>
    m.forward(
      sequence((d) => {
        d[4] = Number.NaN;
      }),
    ),
  ),
  rejectsForward(
    'seqLens out of range is INVALID_INPUT naming seqLens',
    'seqLens',
    LSTM,
    (m) => m.forward(sequence(), { seqLens: [1, T + 1] }),
    'seqLens',
  ),
  rejectsForward(
    'seqLens of the wrong length is INVALID_INPUT naming seqLens',
    'seqLens',
    LSTM,
    (m) => m.forward(sequence(), { seqLens: [1] }),
    'seqLens',
  ),
  rejectsForward(
    'h0 of the wrong shape is INVALID_INPUT naming h0',
    'h0',
    LSTM,
    (m) => m.forward(sequence(), { h0: { data: new Float32Array(B * 5), shape: [1, B, 5] } }),
    'initialState',
  ),
  rejectsForward(
    'c0 for a GRU is INVALID_INPUT naming c0',
    'c0',
    GRU,
    (m) => m.forward(sequence(), { c0: { data: new Float32Array(B * 4), shape: [1, B, 4] } }),
    'initialState',
  ),
  rejectsForward(
    'a stream step with the wrong x shape is INVALID_INPUT naming x',
    'x',
    LSTM,
    (m) => m.stream({ batch: B }).step(step(B + 1)),
    'stream',
  ),
  rejectsForward(
    'a stream reset with the wrong state shape is INVALID_INPUT naming h',
    'h',
    LSTM,
    (m) => m.stream({ batch: B }).reset({ h: { data: new Float32Array(5), shape: [1, 1, 5] } }),
    'stream',
  ),
  rejectsForward(
    'a stream of batch 0 is INVALID_INPUT naming batch',
    'batch',
    LSTM,
    (m) => m.stream({ batch: 0 }),
    'stream',
  ),
  {
    name: 'a stream of a bidirectional model is UNSUPPORTED naming stream',
    feature: 'bidirectional',
    cell: 'lstm',
    run: (backend) =>
      withModel(backend, { ...LSTM, bidirectional: true }, (model) =>
        expectGatedError('UNSUPPORTED', 'stream', () => model.stream({ batch: 1 })),
      ),
  },
  compileWith('a missing weight tensor is INVALID_WEIGHTS naming it', 'weight_hh_l0', (w) => {
    delete w.weight_hh_l0;
  }),
  compileWith('a wrongly sized weight tensor is INVALID_WEIGHTS naming it', 'bias_ih_l0', (w) => {
    w.bias_ih_l0 = new Float32Array(3);
  }),
  compileWith('a non-finite weight is INVALID_WEIGHTS naming the tensor', 'weight_ih_l0', (w) => {
    w.weight_ih_l0[5] = Number.POSITIVE_INFINITY;
  }),
  compileWith('an unexpected weight tensor is INVALID_WEIGHTS naming it', 'weight_ih_l1', (w) => {
    w.weight_ih_l1 = new Float32Array(48);
  }),
  {
    name: 'hiddenSize 0 is INVALID_CONFIG naming hiddenSize',
    run: (backend) =>
      expectGatedError('INVALID_CONFIG', 'hiddenSize', () => backend.compile({ ...LSTM, hiddenSize: 0 }, {})),
  },
  {
    name: 'an unknown cell is INVALID_CONFIG naming cell',
    run: (backend) =>
      expectGatedError('INVALID_CONFIG', 'cell', () =>
        backend.compile({ ...LSTM, cell: 'lstmx' as 'lstm' }, {}),
      ),
  },
  {
    name: 'rejected input leaves the model giving the same results',
    cell: 'lstm',
    run: (backend) =>
      withModel(backend, LSTM, async (model) => {
        const before = await model.forward(sequence());
        await model
          .forward(
            sequence((d) => {
              d[0] = Number.NaN;
            }),
          )
          .catch(() => {});
        await model.forward(sequence(), { h0: { data: new Float32Array(1), shape: [1] } }).catch(() => {});
        const after = await model.forward(sequence());
        return sameBits(before.output.data, after.output.data) && sameBits(before.h.data, after.h.data)
          ? { status: 'pass' }
          : { status: 'fail', message: 'a forward after rejected input differs from the one before' };
      }),
  },
  {
    name: 'a rejected stream step leaves the stream state unchanged',
    feature: 'stream',
    cell: 'lstm',
    run: (backend) =>
      withModel(backend, LSTM, async (model) => {
        const stream = model.stream({ batch: B });
        await stream.step(step(B));
        const before = await stream.state();
        await stream.step({ data: new Float32Array(B * 3).fill(Number.NaN), shape: [B, 3] }).catch(() => {});
        const after = await stream.state();
        stream.dispose();
        return sameBits(before.h.data, after.h.data) &&
          sameBits(before.c?.data ?? new Float32Array(), after.c?.data ?? new Float32Array())
          ? { status: 'pass' }
          : { status: 'fail', message: 'the stream state changed after a rejected step' };
      }),
  },
];

/** Every contract check, run on every backend: bad input, call-time semantics, hostile input,
 * bounded cost and the training contract. */
export const CONTRACT_CHECKS: readonly ContractCheck[] = [
  ...INPUT_CHECKS,
  ...CALL_SEMANTICS_CHECKS,
  ...HOSTILE_INPUT_CHECKS,
  ...BOUNDS_CHECKS,
  ...TRAINING_CHECKS,
];

/** What a check relies on that the backend does not declare, e.g. ["cell 'gru'"]. */
export function missingForContractCheck(
  capabilities: Backend['capabilities'],
  check: ContractCheck,
): string[] {
  const missing: string[] = [];
  if (check.cell !== undefined && !capabilities.cells.includes(check.cell))
    missing.push(`cell '${check.cell}'`);
  if (check.feature !== undefined && !capabilities.features.includes(check.feature))
    missing.push(`feature '${check.feature}'`);
  if (check.training && !capabilities.training) missing.push('training');
  return missing;
}

/** Runs one contract check; UNSUPPORTED for a feature the backend does not declare is 'unsupported'. */
export async function runContractCheck(
  backend: Backend,
  check: ContractCheck,
  context: CheckContext = {},
): Promise<Outcome> {
  if (check.needsFreshBackend && !context.createBackend) {
    return {
      status: 'unsupported',
      message: 'needs a fresh backend to dispose: pass createBackend to runConformance',
    };
  }
  let outcome: Outcome;
  try {
    outcome = await check.run(backend, context);
  } catch (error) {
    outcome = outcomeOfThrow(error, 'check');
  }
  const lacksFeature = missingForContractCheck(backend.capabilities, check).length > 0;
  if (outcome.status === 'unsupported' && !lacksFeature) {
    return {
      status: 'fail',
      message: `threw UNSUPPORTED although the backend declares what this check needs (${outcome.message})`,
    };
  }
  if (
    lacksFeature &&
    outcome.status === 'fail' &&
    /received GatedError UNSUPPORTED/.test(outcome.message ?? '')
  ) {
    return { status: 'unsupported', message: outcome.message };
  }
  return outcome;
}
