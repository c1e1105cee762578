import { initWeights, tensor } from '@gated/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { createTfjsBackend } from './index.js';

it("refuses a request beyond tfjs wasm's 4 GiB memory before allocating, and keeps working", async () => {
  const backend = await createTfjsBackend({ tf, backend: 'wasm' });
  const config = { cell: 'rnn', inputSize: 1, hiddenSize: 64 } as const;
  const model = await backend.compile(config, initWeights(config));
  const before = tf.memory();
  // Output [2^16, 2^6, 64]: 2^28 values, 1 GiB, with its working set beyond 4 GiB.
  const x = tensor(new Float32Array(2 ** 22), [2 ** 16, 2 ** 6, 1]);
  await expect(model.forward(x)).rejects.toMatchObject({
    code: 'INVALID_INPUT',
    message: expect.stringContaining("tfjs wasm's 4 GiB memory"),
  });
  expect(tf.memory()).toMatchObject({ numTensors: before.numTensors, numBytes: before.numBytes });
  const { output } = await model.forward(tensor(new Float32Array(2), [2, 1, 1]));
  expect(output.shape).toEqual([2, 1, 64]);
  backend.dispose();
});
