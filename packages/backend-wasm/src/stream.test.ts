import { createRandom, initWeights, type RecurrentConfig, tensor, uniformArray } from '@gated/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createWasmBackend } from './create-backend.js';

const backend = await createWasmBackend();
afterAll(() => backend.dispose());

const configs: RecurrentConfig[] = [
  { cell: 'lstm', inputSize: 5, hiddenSize: 12, numLayers: 2, projSize: 3, peephole: true },
  { cell: 'gru', inputSize: 5, hiddenSize: 9, resetAfter: false },
  { cell: 'gru', inputSize: 64, hiddenSize: 33 },
  { cell: 'rnn', inputSize: 4, hiddenSize: 7 },
];

describe('wasm streams', () => {
  for (const config of configs) {
    it(`give the same numbers as one forward over the same steps (${config.cell}, H=${config.hiddenSize})`, async () => {
      const T = 6;
      const B = 3;
      const I = config.inputSize;
      const model = await backend.compile(config, initWeights(config, { seed: 4 }));
      const x = uniformArray(T * B * I, -2, 2, createRandom(5));
      const forward = await model.forward(tensor(x, [T, B, I]));
      const stream = model.stream({ batch: B });
      const Hout = forward.output.shape[2];
      for (let t = 0; t < T; t++) {
        const y = await stream.step(tensor(x.slice(t * B * I, (t + 1) * B * I), [B, I]));
        expect(y.data).toEqual(forward.output.data.slice(t * B * Hout, (t + 1) * B * Hout));
      }
      expect((await stream.state()).h.data).toEqual(forward.h.data);
      await stream.reset();
      const again = await stream.step(tensor(x.slice(0, B * I), [B, I]));
      expect(again.data).toEqual(forward.output.data.slice(0, B * Hout));
      model.dispose();
    });
  }
});
