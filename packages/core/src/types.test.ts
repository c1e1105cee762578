import { describe, expectTypeOf, it } from 'vitest';
import type { ForwardResult, RecurrentModel, StreamState } from './backend.js';
import { INFERENCE_CAPABILITIES } from './capabilities.js';
import type { RecurrentConfig } from './config.js';
import { defineKernelBackend } from './orchestrate/define-backend.js';
import type { Tensor } from './tensor.js';
import { initWeights } from './weights.js';

/** Type-level tests: `pnpm typecheck` (tsc) fails if these assertions or the
 * expect-error lines stop holding; vitest runs the value parts. */
const backend = defineKernelBackend({
  name: 'types',
  capabilities: INFERENCE_CAPABILITIES,
  kernels: {
    alloc: (n) => new Float32Array(n),
    write: (b, d, o = 0) => b.set(d, o),
    zero: (b) => b.fill(0),
    read: async (bs) => bs.map((b) => b.slice()),
    free: () => {},
    packLayer: () => null,
    freeLayer: () => {},
    runSequence: () => {},
  },
});

describe('result types follow the config cell', () => {
  it('gives an LSTM model a c that is always there', async () => {
    const model = await backend.compile(
      { cell: 'lstm', inputSize: 2, hiddenSize: 2 },
      initWeights({ cell: 'lstm', inputSize: 2, hiddenSize: 2 }),
    );
    expectTypeOf(model).toEqualTypeOf<RecurrentModel<'lstm'>>();
    const result = await model.forward({ data: new Float32Array(2), shape: [1, 1, 2] });
    expectTypeOf(result.c).toEqualTypeOf<Tensor>();
    expectTypeOf<StreamState<'lstm'>['c']>().toEqualTypeOf<Tensor>();
  });

  it('gives a GRU no c, and a config of unknown cell an optional one', async () => {
    expectTypeOf<ForwardResult<'gru'>['c']>().toEqualTypeOf<undefined>();
    expectTypeOf<ForwardResult['c']>().toEqualTypeOf<Tensor | undefined>();
    const config: RecurrentConfig = { cell: 'rnn', inputSize: 1, hiddenSize: 1 };
    const pending = backend.compile(config, initWeights(config));
    expectTypeOf(pending).resolves.toEqualTypeOf<RecurrentModel>();
    return pending;
  });

  it('accepts a config written without as const (a string cell), checked at run time', async () => {
    const config = { cell: 'gru', inputSize: 2, hiddenSize: 3, activations: { gate: 'hardSigmoid' } };
    const model = await backend.compile(config, initWeights(config));
    expectTypeOf(model).toEqualTypeOf<RecurrentModel>();
    const typo = { cell: 'lstm', inputSize: 2, hiddenSize: 3, hidden_size: 3 };
    // @ts-expect-error an unknown field is a type error on a literal too (and INVALID_CONFIG at run time)
    void backend.compile({ cell: 'lstm', inputSize: 2, hiddenSize: 3, hidden_size: 3 }, {}).catch(() => {});
    void typo;
  });
});
