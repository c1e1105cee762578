import { createRandom, initWeights, type RecurrentConfig, tensor, uniformArray } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { createTsBackend } from './index.js';

const CONFIGS: Record<string, RecurrentConfig> = {
  'an LSTM stack with projection and peepholes': {
    cell: 'lstm',
    inputSize: 9,
    hiddenSize: 13,
    numLayers: 2,
    projSize: 6,
    peephole: true,
  },
  'a reset-before GRU': { cell: 'gru', inputSize: 9, hiddenSize: 17, resetAfter: false },
  'a clipped relu RNN': { cell: 'rnn', inputSize: 9, hiddenSize: 8, nonlinearity: 'relu', clip: 2 },
};

describe('stream of the ts backend', () => {
  it.each(Object.entries(CONFIGS))(
    'gives bit-identical outputs to one forward over the same steps for %s',
    async (_, config) => {
      const backend = await createTsBackend();
      const model = await backend.compile(config, initWeights(config, { seed: 3 }));
      const [T, B] = [11, 6];
      const x = uniformArray(T * B * config.inputSize, -2, 2, createRandom(5));
      const whole = await model.forward(tensor(x, [T, B, config.inputSize]));
      const stream = model.stream({ batch: B });
      const Hout = whole.output.shape[2];
      for (let t = 0; t < T; t++) {
        const xt = x.slice(t * B * config.inputSize, (t + 1) * B * config.inputSize);
        const y = await stream.step(tensor(xt, [B, config.inputSize]));
        expect(y.data).toEqual(whole.output.data.slice(t * B * Hout, (t + 1) * B * Hout));
      }
      expect((await stream.state()).h.data).toEqual(whole.h.data);
      backend.dispose();
    },
  );
});
