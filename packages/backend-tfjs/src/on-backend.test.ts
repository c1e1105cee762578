import { createRandom, initWeights, tensor, uniformArray } from '@gated/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { createTfjsBackend } from './index.js';

it("runs gated backends on two tfjs backends in one process and leaves tf's current backend as it was", async () => {
  const onCpu = await createTfjsBackend({ tf, backend: 'cpu' });
  const onWasm = await createTfjsBackend({ tf, backend: 'wasm' });
  await tf.setBackend('cpu');
  const config = { cell: 'gru', inputSize: 3, hiddenSize: 5, numLayers: 2 } as const;
  const weights = initWeights(config, { seed: 3 });
  const [a, b] = [await onCpu.compile(config, weights), await onWasm.compile(config, weights)];
  expect(tf.getBackend()).toBe('cpu');
  const x = tensor(uniformArray(4 * 2 * 3, -1, 1, createRandom(4)), [4, 2, 3]);
  const [sa, sb] = [a.stream({ batch: 2 }), b.stream({ batch: 2 })];
  let current = 'cpu';
  for (let k = 0; k < 4; k++) {
    const [ya, yb] = await Promise.all([a.forward(x), b.forward(x)]);
    for (let i = 0; i < ya.output.data.length; i++) {
      expect(Math.abs(ya.output.data[i] - yb.output.data[i])).toBeLessThanOrEqual(1e-6);
    }
    const xt = tensor(x.data.subarray(0, 6), [2, 3]);
    const [ta, tb] = await Promise.all([sa.step(xt), sb.step(xt)]);
    for (let i = 0; i < ta.data.length; i++)
      expect(Math.abs(ta.data[i] - tb.data[i])).toBeLessThanOrEqual(1e-6);
    expect(tf.getBackend()).toBe(current);
    current = k % 2 === 0 ? 'wasm' : 'cpu';
    await tf.setBackend(current);
  }
  // The application's own ops still run where it says.
  await tf.setBackend('cpu');
  const sum = tf.add(tf.scalar(1), tf.scalar(2));
  expect(tf.getBackend()).toBe('cpu');
  expect(await sum.data()).toEqual(new Float32Array([3]));
  sum.dispose();
  onCpu.dispose();
  onWasm.dispose();
});
