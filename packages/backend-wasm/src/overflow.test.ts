import { createRandom, initWeights, type RecurrentConfig, tensor, type Weights } from '@gated/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createWasmBackend } from './create-backend.js';
import { referenceForward, worstExcess } from './float64-reference.test-helper.js';

const single = await createWasmBackend();
const threaded = await createWasmBackend({ threads: 2 });
afterAll(() => {
  single.dispose();
  threaded.dispose();
});

/** Weights of magnitude 1..2 with random signs: 3e38 times any of them is beyond the f32
 * range, so pre-activations overflow to ±Inf in f32 while float64 keeps them finite. */
function largeWeights(config: RecurrentConfig): Weights {
  const random = createRandom(11);
  const weights = initWeights(config, { seed: 10 });
  for (const values of Object.values(weights)) {
    for (let i = 0; i < values.length; i++) values[i] = (random() < 0.5 ? -1 : 1) * (1 + random());
  }
  return weights;
}

const CONFIGS: RecurrentConfig[] = [
  { cell: 'lstm', inputSize: 3, hiddenSize: 5 },
  { cell: 'lstm', inputSize: 3, hiddenSize: 5, peephole: true, clip: 3 },
  { cell: 'lstm', inputSize: 3, hiddenSize: 5, peephole: true },
  { cell: 'gru', inputSize: 3, hiddenSize: 5 },
  { cell: 'gru', inputSize: 3, hiddenSize: 5, resetAfter: false },
  { cell: 'gru', inputSize: 3, hiddenSize: 5, activations: { gate: 'hardSigmoid', candidate: 'softsign' } },
  { cell: 'rnn', inputSize: 3, hiddenSize: 5 },
];

describe('pre-activations beyond the f32 range', () => {
  for (const config of CONFIGS) {
    const name = `${config.cell}${config.peephole ? ' with peepholes' : ''}${config.clip ? ' and clip' : ''}${config.resetAfter === false ? ' (reset before)' : ''}${config.activations ? ' (hardSigmoid, softsign)' : ''}`;
    it(`saturate like the float64 reference, on 1 and 2 threads alike (${name})`, async () => {
      const weights = largeWeights(config);
      const [T, B] = [3, 2];
      // One component per row at ±3e38: each row's pre-activations hold exactly one
      // overflowing product, so the f32 sums are ±Inf and never Inf − Inf.
      const x = new Float32Array([
        3e38, 0.5, -0.25, -0.5, -3e38, 0.1, 0.2, 0.3, 3e38, -3e38, 0.7, 0.1, 0.4, -0.2, 0.3, 3e38, 0, 0,
      ]);
      const ref = referenceForward(config, weights, x, T, B);
      for (const backend of [single, threaded]) {
        const model = await backend.compile(config, weights);
        const traced = await model.forward(tensor(x, [T, B, 3]), { returnGates: true });
        const fused = await model.forward(tensor(x, [T, B, 3]));
        model.dispose();
        for (const result of [traced, fused]) {
          expect(worstExcess(result.output.data, ref.output)).toBeLessThanOrEqual(0);
          expect(worstExcess(result.h.data, ref.h)).toBeLessThanOrEqual(0);
          if (result.c) expect(worstExcess(result.c.data, ref.c)).toBeLessThanOrEqual(0);
        }
      }
      const [a, b] = await Promise.all([single.compile(config, weights), threaded.compile(config, weights)]);
      const [ra, rb] = [await a.forward(tensor(x, [T, B, 3])), await b.forward(tensor(x, [T, B, 3]))];
      expect(rb.output.data).toEqual(ra.output.data);
      a.dispose();
      b.dispose();
    });
  }
});
