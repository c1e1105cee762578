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

/** What a check may use besides the backend under test. */
export interface CheckContext {
  /** A fresh instance of the backend under test, for checks that dispose a backend. */
  readonly createBackend?: () => Backend | Promise<Backend>;
}

/** A backend-wide check of the API contract: bad input is a GatedError that names the
 * argument, and never damages the model. */
export interface ContractCheck {
  readonly name: string;
  /** A cell or feature the check relies on; if the backend lacks it, UNSUPPORTED is an
   * acceptable answer. */
  readonly feature?: Feature;
  readonly cell?: CellType;
  /** The check trains (model.recordForward): a backend whose capabilities.training is false
   * may answer UNSUPPORTED. */
  readonly training?: boolean;
  /** The check disposes a backend, so it needs `CheckContext.createBackend`. */
  readonly needsFreshBackend?: boolean;
  run(backend: Backend, context: CheckContext): Promise<Outcome>;
}

export const LSTM: RecurrentConfig = { cell: 'lstm', inputSize: 3, hiddenSize: 4 };
export const GRU: RecurrentConfig = { cell: 'gru', inputSize: 3, hiddenSize: 4 };
export const T = 2;
export const B = 2;

export const sequence = (values?: (data: Float32Array) => void): Tensor => {
  const data = new Float32Array(T * B * 3).map((_, k) => Math.sin(k));
  values?.(data);
  return { data, shape: [T, B, 3] };
};
export const step = (batch: number): Tensor => ({
  data: new Float32Array(batch * 3).fill(0.5),
  shape: [batch, 3],
});

/** Compiles `config` and runs `body` on the model; a compile that throws UNSUPPORTED makes the
 * check unsupported. */
export async function withModel(
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

export function compileWith(
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

export function rejectsForward(
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

export function sameBits(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((v, k) => Object.is(v, b[k]));
}
