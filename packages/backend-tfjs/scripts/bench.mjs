// S2 (B = 32, T = 100, I = 128, H = 256; LSTM, and GRU with resetAfter false, the one variant
// tfjs-layers has) on gated-on-tfjs and on tfjs-layers' own layers, on the same tfjs backend in
// one process, with the same weights (core's toKeras). Forwards alternate (gated, layers, gated,
// …): on a shared machine only such pairs compare well. Prints both medians and the paired
// ratio layers / gated (median and p10–p90). Run `pnpm build` first.
//   pnpm --filter @gated/backend-tfjs bench [-- --backend wasm|cpu --pairs 15 --cells lstm,gru]

import { parseArgs } from 'node:util';
import { createRandom, initWeights, tensor, toKeras, uniformArray } from '@gated/core';
import * as tf from '@tensorflow/tfjs';
import { createTfjsBackend } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    pairs: { type: 'string', default: '15' },
    cells: { type: 'string', default: 'lstm,gru' },
  },
});
const pairs = Number(values.pairs);
const [B, T, I, H] = [32, 100, 128, 256];
tf.enableProdMode();
const backend = await createTfjsBackend({ tf, backend: values.backend });
await tf.setBackend(values.backend);

function quantile(list, q) {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.round(q * (sorted.length - 1))];
}

async function benchCell(cell) {
  const config = { cell, inputSize: I, hiddenSize: H, ...(cell === 'gru' ? { resetAfter: false } : {}) };
  const weights = initWeights(config, { seed: 1 });
  const model = await backend.compile(config, weights);
  const timeMajor = uniformArray(T * B * I, -1, 1, createRandom(2));
  const x = tensor(timeMajor, [T, B, I]);
  const G = cell === 'lstm' ? 4 : 3;
  const layer = {
    units: H,
    recurrentActivation: 'sigmoid',
    kernelInitializer: 'zeros',
    recurrentInitializer: 'zeros',
    biasInitializer: 'zeros',
    returnSequences: true,
    inputShape: [T, I],
  };
  const layers = tf.sequential({
    layers: [cell === 'lstm' ? tf.layers.lstm({ ...layer, unitForgetBias: false }) : tf.layers.gru(layer)],
  });
  const [keras] = toKeras(config, weights);
  layers.setWeights([
    tf.tensor2d(keras.kernel, [I, G * H]),
    tf.tensor2d(keras.recurrentKernel, [H, G * H]),
    tf.tensor1d(keras.bias),
  ]);
  const batchMajor = new Float32Array(T * B * I);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      batchMajor.set(timeMajor.subarray((t * B + b) * I, (t * B + b + 1) * I), (b * T + t) * I);
    }
  }
  const xb = tf.tensor3d(batchMajor, [B, T, I]);
  const runLayers = async () => {
    const y = layers.predict(xb, { batchSize: B });
    const data = await y.data();
    y.dispose();
    return data;
  };
  const runGated = async () => (await model.forward(x)).output.data;
  const ours = await runGated();
  const theirs = await runLayers();
  let maxDiff = 0;
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        maxDiff = Math.max(maxDiff, Math.abs(ours[(t * B + b) * H + j] - theirs[(b * T + t) * H + j]));
      }
    }
  }
  const gatedMs = [];
  const layersMs = [];
  const ratios = [];
  for (let p = 0; p < pairs; p++) {
    let start = performance.now();
    await runGated();
    gatedMs.push(performance.now() - start);
    start = performance.now();
    await runLayers();
    layersMs.push(performance.now() - start);
    ratios.push(layersMs[p] / gatedMs[p]);
  }
  console.log(
    `S2 ${cell.toUpperCase()} on tfjs ${values.backend}: tfjs@${values.backend} ${quantile(gatedMs, 0.5).toFixed(0)} ms, ` +
      `tfjs-layers@${values.backend} ${quantile(layersMs, 0.5).toFixed(0)} ms, ` +
      `layers / gated ×${quantile(ratios, 0.5).toFixed(2)} [${quantile(ratios, 0.1).toFixed(2)}–${quantile(ratios, 0.9).toFixed(2)}] ` +
      `over ${pairs} pairs (max |Δ| ${maxDiff.toExponential(1)})`,
  );
  model.dispose();
  layers.dispose();
  xb.dispose();
}

for (const cell of values.cells.split(',')) await benchCell(cell);
backend.dispose();
