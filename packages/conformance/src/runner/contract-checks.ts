import {
  type Backend,
  type CellType,
  type Feature,
  initWeights,
  type RecurrentConfig,
  type RecurrentModel,
  type Tensor,
} from '@gated/core';
import { expectGatedError, type Outcome, outcomeOfThrow } from './gated-errors.js';

/** A backend-wide check of the API contract: bad input is a GatedError that names the
 * argument, and never damages the model. */
export interface ContractCheck {
  readonly name: string;
  /** A cell or feature the check relies on; if the backend lacks it, UNSUPPORTED is an
   * acceptable answer. */
  readonly feature?: Feature;
  readonly cell?: CellType;
  run(backend: Backend): Promise<Outcome>;
}

const LSTM: RecurrentConfig = { cell: 'lstm', inputSize: 3, hiddenSize: 4 };
const GRU: RecurrentConfig = { cell: 'gru', inputSize: 3, hiddenSize: 4 };
const T = 2;
const B = 2;

const sequence = (values?: (data: Float32Array) => void): Tensor => {
  const data = new Float32Array(T * B * 3).map((_, k) => Math.sin(k));
  values?.(data);
  return { data, shape: [T, B, 3] };
};
const step = (batch: number): Tensor => ({ data: new Float32Array(batch * 3).fill(0.5), shape: [batch, 3] });

/** Compiles `config` and runs `body` on the model; a compile that throws UNSUPPORTED makes the
 * check unsupported. */
async function withModel(
  backend: Backend,
  config: RecurrentConfig,
  body: (model: RecurrentModel) => Promise<Outcome>,
): Promise<Outcome> {
  let model: RecurrentModel;
  try {
    model = await backend.compile(config, initWeights(config, { seed: 11 }));
  } catch (error) {
    return outcomeOfThrow(error, 'compile');
  }
  try {
    return await body(model);
  } catch (error) {
    return outcomeOfThrow(error, 'check');
  } finally {
    model.dispose();
  }
}

function compileWith(
  name: string,
  argument: string,
  edit: (weights: Record<string, Float32Array>) => void,
): ContractCheck {
  return {
    name,
    run: (backend) => {
      const weights = initWeights(LSTM, { seed: 3 });
      edit(weights);
      return expectGatedError('INVALID_WEIGHTS', argument, () => backend.compile(LSTM, weights));
    },
  };
}

function rejectsForward(
  name: string,
  argument: string,
  config: RecurrentConfig,
  call: (model: RecurrentModel) => unknown,
  feature?: Feature,
): ContractCheck {
  return {
    name,
    feature,
    cell: config.cell,
    run: (backend) =>
      withModel(backend, config, (model) => expectGatedError('INVALID_INPUT', argument, () => call(model))),
  };
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((v, k) => Object.is(v, b[k]));
}

export const CONTRACT_CHECKS: readonly ContractCheck[] = [
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
  return missing;
}

/** Runs one contract check; UNSUPPORTED for a feature the backend does not declare is 'unsupported'. */
export async function runContractCheck(backend: Backend, check: ContractCheck): Promise<Outcome> {
  let outcome: Outcome;
  try {
    outcome = await check.run(backend);
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
