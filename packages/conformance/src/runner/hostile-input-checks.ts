import {
  type Backend,
  type ForwardResult,
  initWeights,
  MAX_MESSAGE_LENGTH,
  type RecurrentConfig,
  type RecurrentModel,
  type Tensor,
} from '@gated/core';
import { pattern, sameResult } from './call-semantics-checks.js';
import { type ContractCheck, GRU, LSTM, sameBits, T, withModel } from './check-helpers.js';
import { describeError, isGatedErrorLike, type Outcome } from './gated-errors.js';

const I = LSTM.inputSize;

/** A Float32Array whose `length` claims 64 M values. */
class LyingFloat32Array extends Float32Array {
  override get length(): number {
    return 1 << 26;
  }
}

const fail = (message: string): Outcome => ({ status: 'fail', message });
const PASS: Outcome = { status: 'pass' };

/** Runs `hostile` on a second model (GRU) while a first one (LSTM) lives on the same backend:
 * the hostile call must give `honest`'s result or a GatedError of `code`, and the first
 * model's results must not change. */
async function hostileBeside(
  backend: Backend,
  code: string,
  hostile: (config: RecurrentConfig) => Promise<ForwardResult>,
  honest: (model: RecurrentModel) => Promise<ForwardResult>,
): Promise<Outcome> {
  return withModel(backend, LSTM, async (bystander) => {
    const x: Tensor = { data: pattern(T * 2 * I, 7), shape: [T, 2, I] };
    const before = await bystander.forward(x);
    let outcome: Outcome = PASS;
    try {
      const result = await hostile(GRU);
      const expected = await withExpected(backend, honest);
      if (!sameResult(result, expected))
        outcome = fail('a hostile argument gave a wrong result without an error');
    } catch (error) {
      if (!isGatedErrorLike(error, code as never))
        outcome = fail(`expected GatedError ${code} or a correct result, received ${describeError(error)}`);
    }
    const after = await bystander.forward(x);
    if (!sameResult(before, after))
      return fail('another model on the same backend changed (memory corrupted)');
    return outcome;
  });
}

async function withExpected(
  backend: Backend,
  honest: (model: RecurrentModel) => Promise<ForwardResult>,
): Promise<ForwardResult> {
  const model = await backend.compile(GRU, initWeights(GRU, { seed: 9 }));
  try {
    return await honest(model);
  } finally {
    model.dispose();
  }
}

const gruX = (): Float32Array => pattern(T * 1 * I, 4);

/** Expects a GatedError of `code` whose message is at most MAX_MESSAGE_LENGTH characters. */
async function shortError(code: string, action: () => unknown): Promise<Outcome> {
  try {
    await action();
  } catch (error) {
    if (!isGatedErrorLike(error, code as never))
      return fail(`expected GatedError ${code}, received ${describeError(error)}`);
    return error.message.length <= MAX_MESSAGE_LENGTH
      ? PASS
      : fail(
          `expected a message of at most ${MAX_MESSAGE_LENGTH} characters, received ${error.message.length}`,
        );
  }
  return fail(`expected GatedError ${code}, but the call succeeded`);
}

const HUGE_NAME = 'w'.repeat(200_000);

/** Arrays that lie about their length, getters that answer differently on a second read,
 * untrusted names in messages, configs handed back: every array is read once, by validation,
 * and only the validated copy is used. */
export const HOSTILE_INPUT_CHECKS: readonly ContractCheck[] = [
  {
    name: 'x with a lying length gives a correct result or INVALID_INPUT, and no other model changes',
    cell: 'gru',
    run: (backend) =>
      hostileBeside(
        backend,
        'INVALID_INPUT',
        async (config) => {
          const model = await backend.compile(config, initWeights(config, { seed: 9 }));
          try {
            return await model.forward({ data: new LyingFloat32Array(gruX()), shape: [T, 1, I] });
          } finally {
            model.dispose();
          }
        },
        (model) => model.forward({ data: gruX(), shape: [T, 1, I] }),
      ),
  },
  {
    name: 'x whose data getter grows on a second read is read once, and no other model changes',
    cell: 'gru',
    run: (backend) =>
      hostileBeside(
        backend,
        'INVALID_INPUT',
        async (config) => {
          const model = await backend.compile(config, initWeights(config, { seed: 9 }));
          let reads = 0;
          const x = {
            shape: [T, 1, I],
            get data() {
              reads++;
              return reads === 1 ? gruX() : new Float32Array(1 << 22).fill(Number.NaN);
            },
          };
          try {
            return await model.forward(x);
          } finally {
            model.dispose();
          }
        },
        (model) => model.forward({ data: gruX(), shape: [T, 1, I] }),
      ),
  },
  {
    name: 'weights with lying lengths or changing getters are read once, and no other model changes',
    cell: 'gru',
    run: (backend) =>
      hostileBeside(
        backend,
        'INVALID_WEIGHTS',
        async (config) => {
          const honest = initWeights(config, { seed: 9 });
          const weights: Record<string, Float32Array> = {};
          for (const [name, w] of Object.entries(honest)) {
            let reads = 0;
            Object.defineProperty(weights, name, {
              enumerable: true,
              get: () => {
                reads++;
                return reads === 1
                  ? new LyingFloat32Array(w)
                  : new Float32Array(w.length * 4).fill(Number.NaN);
              },
            });
          }
          const model = await backend.compile(config, weights);
          try {
            return await model.forward({ data: gruX(), shape: [T, 1, I] });
          } finally {
            model.dispose();
          }
        },
        (model) => model.forward({ data: gruX(), shape: [T, 1, I] }),
      ),
  },
  {
    name: 'errors quote at most a short prefix of untrusted names',
    run: async (backend) => {
      const outcomes = [
        await shortError('INVALID_CONFIG', () =>
          backend.compile({ ...LSTM, [HUGE_NAME]: 1 } as RecurrentConfig, {}),
        ),
        await shortError('INVALID_WEIGHTS', () =>
          backend.compile(LSTM, { ...initWeights(LSTM), [HUGE_NAME]: new Float32Array(1) }),
        ),
        await withModel(backend, LSTM, (model) =>
          shortError('INVALID_INPUT', () =>
            model.forward({ data: new Float32Array(1), shape: new Array(100_000).fill(1) }),
          ),
        ),
      ];
      return outcomes.find((o) => o.status !== 'pass') ?? PASS;
    },
  },
  {
    name: 'model.config is deeply frozen, and a changed copy passed to compile is validated again',
    cell: 'lstm',
    run: (backend) =>
      withModel(backend, LSTM, async (model) => {
        const config = model.config;
        if (
          !Object.isFrozen(config) ||
          !Object.isFrozen(config.activations) ||
          !Object.isFrozen(config.activations.gate)
        )
          return fail('model.config (or its activations) can be changed in place');
        const weights = initWeights(LSTM, { seed: 11 });
        const tampered = {
          ...config,
          activations: { ...config.activations, gate: { ...config.activations.gate, alpha: Number.NaN } },
        };
        const rejected = await shortError('INVALID_CONFIG', () => backend.compile(tampered, weights));
        if (rejected.status !== 'pass')
          return fail(`a config with a NaN activation parameter: ${rejected.message}`);
        const again = await backend.compile(config, weights);
        try {
          const x: Tensor = { data: pattern(T * 2 * I, 1), shape: [T, 2, I] };
          const [a, b] = [await model.forward(x), await again.forward(x)];
          return sameBits(a.output.data, b.output.data)
            ? PASS
            : fail('compile(model.config) gave another model');
        } finally {
          again.dispose();
        }
      }),
  },
];
