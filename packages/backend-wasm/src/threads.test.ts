import { describeConformance } from '@gated/conformance/vitest';
import { createRandom, initWeights, type RecurrentConfig, tensor, uniformArray } from '@gated/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createWasmBackend } from './create-backend.js';

const single = await createWasmBackend();
const threaded = await createWasmBackend({ threads: 2 });
afterAll(() => {
  single.dispose();
  threaded.dispose();
});

const configs: RecurrentConfig[] = [
  { cell: 'lstm', inputSize: 48, hiddenSize: 70, projSize: 20, peephole: true },
  { cell: 'gru', inputSize: 48, hiddenSize: 65 },
  { cell: 'gru', inputSize: 30, hiddenSize: 64, resetAfter: false, numLayers: 2, bidirectional: true },
  { cell: 'rnn', inputSize: 64, hiddenSize: 128 },
  { cell: 'lstm', inputSize: 40, hiddenSize: 50, bidirectional: true },
  { cell: 'gru', inputSize: 24, hiddenSize: 33, resetAfter: false },
];

describe('wasm with 2 threads', () => {
  it('runs on 2 threads where SharedArrayBuffer and workers exist', () => {
    expect(threaded.threads).toBe(2);
  });
  for (const config of configs) {
    for (const returnGates of [true, false])
      it(`gives bit-identical results to 1 thread (${config.cell}, H=${config.hiddenSize}, gates ${returnGates ? 'traced' : 'not traced'})`, async () => {
        const [T, B] = [7, 5];
        const weights = initWeights(config, { seed: 8 });
        const x = tensor(uniformArray(T * B * config.inputSize, -1, 1, createRandom(9)), [
          T,
          B,
          config.inputSize,
        ]);
        const options = { seqLens: [7, 3, 0, 6, 7], returnGates };
        const [a, b] = await Promise.all([
          single.compile(config, weights),
          threaded.compile(config, weights),
        ]);
        const [ra, rb] = [await a.forward(x, options), await b.forward(x, options)];
        expect(rb.output.data).toEqual(ra.output.data);
        expect(rb.h.data).toEqual(ra.h.data);
        expect(rb.gates?.map((g) => Object.values(g.values).map((v) => v.data))).toEqual(
          ra.gates?.map((g) => Object.values(g.values).map((v) => v.data)),
        );
        a.dispose();
        b.dispose();
      });
  }
  for (const config of [...configs, { cell: 'lstm', inputSize: 48, hiddenSize: 70 } as RecurrentConfig]) {
    it(`trains bit-identically to 1 thread (${config.cell}, H=${config.hiddenSize}${config.peephole ? ', peepholes' : ''})`, async () => {
      // Big enough for every backward GEMM and gate-math pass to be split between threads.
      const [T, B] = [40, 33];
      const weights = initWeights(config, { seed: 8 });
      const random = createRandom(9);
      const x = tensor(uniformArray(T * B * config.inputSize, -1, 1, random), [T, B, config.inputSize]);
      const seqLens = Array.from({ length: B }, (_, b) => (b * 7) % (T + 1));
      const [a, b] = await Promise.all([single.compile(config, weights), threaded.compile(config, weights)]);
      const [ra, rb] = [await a.recordForward(x, { seqLens }), await b.recordForward(x, { seqLens })];
      expect(rb.output.data).toEqual(ra.output.data);
      const upstream = {
        output: tensor(uniformArray(ra.output.data.length, -1, 1, random), ra.output.shape),
      };
      const [ga, gb] = [await ra.backward(upstream), await rb.backward(upstream)];
      expect(gb.x.data).toEqual(ga.x.data);
      expect(gb.h0.data).toEqual(ga.h0.data);
      expect(gb.c0?.data).toEqual(ga.c0?.data);
      expect(gb.weights).toEqual(ga.weights);
      a.dispose();
      b.dispose();
    });
  }
});

describeConformance('wasm (2 threads)', () => createWasmBackend({ threads: 2 }));
