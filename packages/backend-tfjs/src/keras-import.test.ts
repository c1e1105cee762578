import { referenceForward } from '@gated/conformance';
import { createRandom, fromTfjsLayersModel, type Tensor, tensor, uniformArray } from '@gated/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTfjsBackend } from './index.js';

const [B, T, I] = [3, 7, 4];

/** Seeded initializers (tfjs' default orthogonal one is slow) and non-zero biases. */
function init(seed: number) {
  const uniform = (s: number) => tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: s });
  return {
    kernelInitializer: uniform(seed),
    recurrentInitializer: uniform(seed + 1),
    biasInitializer: uniform(seed + 2),
  };
}

async function artifactsOf(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved!;
}

function batchFirst(data: Float32Array | ArrayLike<number>, shape: number[]): Tensor {
  return tensor(Float32Array.from(data), shape);
}

/** Reverses [B, T, F] along time. */
function reverseTime(x: Tensor): Tensor {
  const [b, t, f] = x.shape;
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < b; i++) {
    for (let s = 0; s < t; s++)
      out.set(x.data.subarray((i * t + s) * f, (i * t + s + 1) * f), (i * t + (t - 1 - s)) * f);
  }
  return tensor(out, x.shape);
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let k = 0; k < a.length; k++) max = Math.max(max, Math.abs(a[k] - b[k]));
  return max;
}

describe('Keras / tfjs-layers models on gated-on-tfjs (tfjs cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => tf.disposeVariables());

  it("imports a functional model's LSTM, GRU, SimpleRNN and Bidirectional layers, saved by tfjs-layers, and reproduces its predict to 1e-5", async () => {
    const input = tf.input({ shape: [T, I] });
    const lstm = tf.layers.lstm({
      units: 5,
      returnSequences: true,
      recurrentActivation: 'sigmoid',
      ...init(1),
    });
    // recurrentActivation left at tfjs' default, hard_sigmoid; run backwards.
    const gru = tf.layers.gru({ units: 6, returnSequences: true, goBackwards: true, ...init(4) });
    const rnn = tf.layers.simpleRNN({ units: 4, returnSequences: true, useBias: false, ...init(7) });
    const biLstm = tf.layers.bidirectional({
      layer: tf.layers.lstm({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid', ...init(10) }),
      mergeMode: 'concat',
    });
    const biGru = tf.layers.bidirectional({
      layer: tf.layers.gru({ units: 2, returnSequences: true, activation: 'relu', ...init(13) }),
    });
    const outputs: tf.SymbolicTensor[] = [];
    for (const layer of [lstm, gru, rnn, biLstm, biGru]) {
      outputs.push(layer.apply(outputs.at(-1) ?? input) as tf.SymbolicTensor);
    }
    const model = tf.model({ inputs: input, outputs });
    const x = batchFirst(uniformArray(B * T * I, -2, 2, createRandom(1)), [B, T, I]);
    const predicted = (model.predict(tf.tensor3d(x.data, [B, T, I])) as tf.Tensor[]).map((y) => ({
      data: y.dataSync() as Float32Array,
      shape: y.shape,
    }));

    const artifacts = await artifactsOf(model);
    const layers = fromTfjsLayersModel(artifacts, artifacts.weightData as ArrayBuffer);
    expect(
      layers.map((l) => [l.name, l.config.cell, l.config.bidirectional ?? false, l.goBackwards]),
    ).toEqual([
      [lstm.name, 'lstm', false, false],
      [gru.name, 'gru', false, true],
      [rnn.name, 'rnn', false, false],
      [biLstm.name, 'lstm', true, false],
      [biGru.name, 'gru', true, false],
    ]);
    expect(layers[1].config).toMatchObject({
      resetAfter: false,
      activations: { gate: { name: 'hardSigmoid', alpha: 0.2, beta: 0.5 } },
    });
    expect(layers[2].config.bias).toBe(false);

    const backend = await createTfjsBackend({ tf, backend: 'cpu' });
    let layerInput = x;
    for (const [k, layer] of layers.entries()) {
      const model = await backend.compile(layer.config, layer.weights);
      const { output } = await model.forward(layer.goBackwards ? reverseTime(layerInput) : layerInput);
      expect(maxAbsDifference(output.data, predicted[k].data), layer.name).toBeLessThanOrEqual(1e-5);
      layerInput = batchFirst(predicted[k].data, predicted[k].shape as number[]);
      model.dispose();
    }
    backend.dispose();
  });

  it('imports a Sequential model and stacks its layers in order', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.lstm({ units: 4, returnSequences: true, inputShape: [T, I], ...init(20) }),
        tf.layers.bidirectional({ layer: tf.layers.simpleRNN({ units: 3, ...init(23) }) as tf.RNN }),
      ],
    });
    const x = batchFirst(uniformArray(B * T * I, -1, 1, createRandom(2)), [B, T, I]);
    const predicted = model.predict(tf.tensor3d(x.data, [B, T, I])) as tf.Tensor;
    const artifacts = await artifactsOf(model);
    const [first, second] = fromTfjsLayersModel(artifacts, artifacts.weightData as ArrayBuffer);
    expect(second.config.inputSize).toBe(4);
    const backend = await createTfjsBackend({ tf, backend: 'cpu' });
    const m1 = await backend.compile(first.config, first.weights);
    const m2 = await backend.compile(second.config, second.weights);
    const hidden = (await m1.forward(x)).output;
    // The last layer returns only its final state: concat(forward h, backward h) per batch element.
    const { h } = await m2.forward(hidden);
    const expected = predicted.dataSync();
    for (let b = 0; b < B; b++) {
      const fwd = h.data.subarray(b * 3, b * 3 + 3);
      const bwd = h.data.subarray((B + b) * 3, (B + b) * 3 + 3);
      expect(maxAbsDifference([...fwd, ...bwd], expected.subarray(b * 6, b * 6 + 6))).toBeLessThanOrEqual(
        1e-5,
      );
    }
    backend.dispose();
  });

  it('runs a Keras-style GRU with reset_after=True (bias [2, 3H]), which tfjs-layers refuses, to the float64 reference', async () => {
    // tfjs-layers' GRU has no reset_after=True (tfjs issues 2437, 5728): it throws.
    const resetAfterArgs = { units: 2, resetAfter: true } as unknown as Parameters<typeof tf.layers.gru>[0];
    expect(() => tf.layers.gru(resetAfterArgs)).toThrow();
    const H = 5;
    const random = createRandom(31);
    const values = (n: number) => uniformArray(n, -0.6, 0.6, random);
    const [kernel, recurrent, bias] = [values(I * 3 * H), values(H * 3 * H), values(2 * 3 * H)];
    const data = new Float32Array([...kernel, ...recurrent, ...bias]);
    const modelJson = {
      modelTopology: {
        keras_version: '2.15.0',
        backend: 'tensorflow',
        model_config: {
          class_name: 'Sequential',
          config: {
            name: 'sequential',
            layers: [
              { class_name: 'InputLayer', config: { batch_input_shape: [null, T, I], name: 'input_1' } },
              {
                class_name: 'GRU',
                config: {
                  name: 'gru',
                  units: H,
                  activation: 'tanh',
                  recurrent_activation: 'sigmoid',
                  use_bias: true,
                  reset_after: true,
                  return_sequences: true,
                },
              },
            ],
          },
        },
      },
      weightsManifest: [
        {
          paths: ['group1-shard1of1.bin'],
          weights: [
            { name: 'gru/gru_cell/kernel', shape: [I, 3 * H], dtype: 'float32' },
            { name: 'gru/gru_cell/recurrent_kernel', shape: [H, 3 * H], dtype: 'float32' },
            { name: 'gru/gru_cell/bias', shape: [2, 3 * H], dtype: 'float32' },
          ],
        },
      ],
    };
    const [gru] = fromTfjsLayersModel(modelJson, data.buffer);
    expect(gru.config).toMatchObject({ cell: 'gru', resetAfter: true, batchFirst: true, hiddenSize: H });
    const x = batchFirst(uniformArray(B * T * I, -2, 2, createRandom(32)), [B, T, I]);
    const reference = referenceForward(gru.config, gru.weights, x);
    const backend = await createTfjsBackend({ tf, backend: 'cpu' });
    const model = await backend.compile(gru.config, gru.weights);
    const { output, h } = await model.forward(x);
    for (const [actual, expected] of [
      [output.data, reference.output],
      [h.data, reference.h],
    ] as const) {
      for (let k = 0; k < expected.length; k++) {
        expect(Math.abs(actual[k] - expected[k])).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(expected[k]));
      }
    }
    backend.dispose();
  });
});
