import {
  createRandom,
  fromBasicLstmCell,
  fromKeras,
  groupKerasWeights,
  type RecurrentConfig,
} from '@gated/core';
import type { layers, Tensor } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { referenceForward } from './reference/index.js';

/** tfjs is large: it is imported here, lazily (the type import above is erased), so that the
 * rest of the suite stays fast. */
async function loadTfjs() {
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  return tf;
}

type Tfjs = Awaited<ReturnType<typeof loadTfjs>>;

const TOLERANCE = 1e-5;
const [B, T, I, H] = [3, 6, 4, 5];

function randomInput(seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: B * T * I }, () => 4 * random() - 2);
}

/** Fast seeded initializers (the default orthogonal one is slow), non-zero biases so that a
 * misplaced bias shows, and the logistic sigmoid (tfjs defaults to hardSigmoid). */
function layerArgs(tf: Tfjs, seed: number) {
  const uniform = (s: number) => tf.initializers.randomUniform({ minval: -0.6, maxval: 0.6, seed: s });
  return {
    units: H,
    recurrentActivation: 'sigmoid',
    kernelInitializer: uniform(seed),
    recurrentInitializer: uniform(seed + 1),
    biasInitializer: uniform(seed + 2),
    returnSequences: true,
  } as const;
}

function maxAbsDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
  return max;
}

/** Runs `layer` in tfjs and the float64 reference on weights converted by `fromKeras`, and
 * returns the max abs differences of the output sequence and each final state. */
function compareWithReference(
  tf: Tfjs,
  config: RecurrentConfig,
  layer: layers.Layer,
  seed: number,
): number[] {
  const xData = randomInput(seed);
  const x = tf.tensor3d(xData, [B, T, I]);
  const results = [layer.apply(x)].flat() as Tensor[];
  const flat = layer.getWeights().map((w) => w.dataSync() as Float32Array);
  const weights = fromKeras(config, groupKerasWeights(config, flat));
  const reference = referenceForward(config, weights, { data: xData, shape: [B, T, I] });
  const expected = [reference.output, reference.h, reference.c].filter((v) => v !== undefined);
  const differences = results.map((tensor, k) => maxAbsDifference(tensor.dataSync(), expected[k]));
  tf.dispose([x, ...results]);
  layer.dispose();
  return differences;
}

describe('Keras converter against tfjs-layers (cpu backend)', () => {
  it('matches a tfjs LSTM with returned states to 1e-5', async () => {
    const tf = await loadTfjs();
    const config: RecurrentConfig = { cell: 'lstm', inputSize: I, hiddenSize: H, batchFirst: true };
    const layer = tf.layers.lstm({ ...layerArgs(tf, 10), returnState: true });
    const differences = compareWithReference(tf, config, layer, 1);
    expect(differences).toHaveLength(3);
    for (const difference of differences) expect(difference).toBeLessThanOrEqual(TOLERANCE);
  });

  it('matches a tfjs GRU (reset before the recurrent product) with returned state to 1e-5', async () => {
    const tf = await loadTfjs();
    const config: RecurrentConfig = {
      cell: 'gru',
      inputSize: I,
      hiddenSize: H,
      batchFirst: true,
      resetAfter: false,
    };
    const layer = tf.layers.gru({ ...layerArgs(tf, 20), returnState: true });
    const differences = compareWithReference(tf, config, layer, 2);
    expect(differences).toHaveLength(2);
    for (const difference of differences) expect(difference).toBeLessThanOrEqual(TOLERANCE);
  });

  it('matches a tfjs Bidirectional GRU output sequence to 1e-5 (forward weights first)', async () => {
    const tf = await loadTfjs();
    const config: RecurrentConfig = {
      cell: 'gru',
      inputSize: I,
      hiddenSize: H,
      batchFirst: true,
      resetAfter: false,
      bidirectional: true,
    };
    const inner = tf.layers.gru(layerArgs(tf, 30));
    const layer = tf.layers.bidirectional({ layer: inner, mergeMode: 'concat' });
    const [output] = compareWithReference(tf, config, layer, 3);
    expect(output).toBeLessThanOrEqual(TOLERANCE);
  });

  it('matches a tfjs SimpleRNN to 1e-5', async () => {
    const tf = await loadTfjs();
    const config: RecurrentConfig = { cell: 'rnn', inputSize: I, hiddenSize: H, batchFirst: true };
    const { recurrentActivation: _, ...args } = layerArgs(tf, 40);
    const layer = tf.layers.simpleRNN({ ...args, returnState: true });
    const differences = compareWithReference(tf, config, layer, 4);
    expect(differences).toHaveLength(2);
    for (const difference of differences) expect(difference).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('BasicLSTMCell converter against tf.basicLSTMCell (cpu backend)', () => {
  it('matches T steps of tf.basicLSTMCell with a forget bias, h0 and c0 to 1e-5', async () => {
    const tf = await loadTfjs();
    const random = createRandom(5);
    const uniform = (n: number, scale: number) =>
      Float32Array.from({ length: n }, () => scale * (2 * random() - 1));
    const [kernel, bias, h0, c0] = [
      uniform((I + H) * 4 * H, 0.6),
      uniform(4 * H, 0.6),
      uniform(B * H, 1),
      uniform(B * H, 1),
    ];
    const xData = randomInput(6); // read as [T, B, I] here
    const forgetBias = 0.7;
    const config: RecurrentConfig = { cell: 'lstm', inputSize: I, hiddenSize: H };
    const weights = fromBasicLstmCell(config, { kernel, bias, forgetBias });
    const reference = referenceForward(config, weights, { data: xData, shape: [T, B, I] }, { h0, c0 });

    const [k, b] = [tf.tensor2d(kernel, [I + H, 4 * H]), tf.tensor1d(bias)];
    let [c, h] = [tf.tensor2d(c0, [B, H]), tf.tensor2d(h0, [B, H])];
    const outputs: number[] = [];
    for (let t = 0; t < T; t++) {
      const x = tf.tensor2d(xData.subarray(t * B * I, (t + 1) * B * I), [B, I]);
      const [nextC, nextH] = tf.basicLSTMCell(forgetBias, k, b, x, c, h);
      outputs.push(...nextH.dataSync());
      tf.dispose([x, c, h]);
      [c, h] = [nextC, nextH];
    }
    expect(maxAbsDifference(outputs, reference.output)).toBeLessThanOrEqual(TOLERANCE);
    expect(maxAbsDifference(h.dataSync(), reference.h)).toBeLessThanOrEqual(TOLERANCE);
    expect(maxAbsDifference(c.dataSync(), reference.c!)).toBeLessThanOrEqual(TOLERANCE);
    tf.dispose([k, b, c, h]);
  });
});
