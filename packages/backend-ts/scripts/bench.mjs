// Benchmark of @gated/backend-ts against tfjs-layers on the tfjs cpu backend, in one process.
// Build first (`pnpm build`), then: node scripts/bench.mjs [--tfjs-runs N] [--no-tfjs]
// Prints wall-clock medians (and CPU time: the machine is shared) and GFLOP/s =
// 2·T·B·G·H·(I+H) / time for S2 (B=32, T=100, I=128, H=256, one layer) and the S1 stream step.
import { createRequire } from 'node:module';
import { createRandom, initWeights, tensor, toKeras, uniformArray } from '@gated/core';
import { createTsBackend } from '../dist/index.js';

const args = process.argv.slice(2);
const tfjsRuns = Number(args[args.indexOf('--tfjs-runs') + 1] || 1);
const withTfjs = !args.includes('--no-tfjs');
const GATES = { lstm: 4, gru: 3 };

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs `fn` `runs` times after `warmup` calls; medians of wall and CPU milliseconds. */
async function time(fn, runs, warmup) {
  for (let i = 0; i < warmup; i++) await fn();
  const wall = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function gflops(cell, T, B, I, H, ms) {
  return (2 * T * B * GATES[cell] * H * (I + H)) / (ms * 1e6);
}

function line(label, cell, shape, t) {
  const { T, B, I, H } = shape;
  const rate = (ms) => gflops(cell, T, B, I, H, ms).toFixed(2);
  return `${label.padEnd(28)} ${t.wall.toFixed(2).padStart(9)} ms  (${rate(t.wall)} GFLOP/s)   cpu ${t.cpu.toFixed(2).padStart(9)} ms  (${rate(t.cpu)} GFLOP/s)`;
}

async function loadTfjs() {
  const require = createRequire(new URL('../../../apps/bench/package.json', import.meta.url));
  const tf = await import(require.resolve('@tensorflow/tfjs'));
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}

/** tfjs-layers LSTM / GRU (resetAfter false) with the same weights, batch-first input. */
function tfjsLayer(tf, cell, config, weights) {
  const options = {
    units: config.hiddenSize,
    returnSequences: true,
    recurrentActivation: 'sigmoid',
    kernelInitializer: 'zeros',
    recurrentInitializer: 'zeros',
    biasInitializer: 'zeros',
    inputShape: [null, config.inputSize],
  };
  const layer = cell === 'lstm' ? tf.layers.lstm(options) : tf.layers.gru({ ...options, resetAfter: false });
  const model = tf.sequential({ layers: [layer] });
  const [keras] = toKeras(config, weights);
  const H = config.hiddenSize;
  const G = GATES[cell];
  layer.setWeights([
    tf.tensor2d(keras.kernel, [config.inputSize, G * H]),
    tf.tensor2d(keras.recurrentKernel, [H, G * H]),
    tf.tensor1d(keras.bias),
  ]);
  return model;
}

function timeMajorToBatchFirst(data, T, B, C) {
  const out = new Float32Array(data.length);
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++) out.set(data.subarray((t * B + b) * C, (t * B + b + 1) * C), (b * T + t) * C);
  return out;
}

const backend = await createTsBackend();
const tf = withTfjs ? await loadTfjs() : null;
console.log(
  `node ${process.version}, ${tf ? `tfjs ${tf.version.tfjs} (${tf.getBackend()})` : 'tfjs skipped'}\n`,
);

const S2 = { T: 100, B: 32, I: 128, H: 256 };
console.log(`S2 batch: B=${S2.B}, T=${S2.T}, I=${S2.I}, H=${S2.H}, one layer`);
for (const cell of ['lstm', 'gru']) {
  const config = {
    cell,
    inputSize: S2.I,
    hiddenSize: S2.H,
    ...(cell === 'gru' ? { resetAfter: false } : {}),
  };
  const weights = initWeights(config, { seed: 1 });
  const model = await backend.compile(config, weights);
  const x = uniformArray(S2.T * S2.B * S2.I, -1, 1, createRandom(2));
  const input = tensor(x, [S2.T, S2.B, S2.I]);
  let ours;
  const t = await time(
    async () => {
      ours = await model.forward(input);
    },
    7,
    2,
  );
  console.log(line(`  ts ${cell}`, cell, S2, t));
  if (tf) {
    const layer = tfjsLayer(tf, cell, config, weights);
    const xb = tf.tensor3d(timeMajorToBatchFirst(x, S2.T, S2.B, S2.I), [S2.B, S2.T, S2.I]);
    let theirs;
    const tt = await time(
      async () => {
        theirs?.dispose();
        theirs = layer.predict(xb);
        await theirs.data();
      },
      tfjsRuns,
      0,
    );
    const expected = timeMajorToBatchFirst(ours.output.data, S2.T, S2.B, S2.H);
    const got = theirs.dataSync();
    let maxDiff = 0;
    for (let i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - expected[i]));
    console.log(line(`  tfjs-layers cpu ${cell}`, cell, S2, tt));
    console.log(
      `  speed-up ${(tt.wall / t.wall).toFixed(1)}× wall, ${(tt.cpu / t.cpu).toFixed(1)}× cpu; max |tfjs − ts| = ${maxDiff.toExponential(2)}`,
    );
    theirs.dispose();
    xb.dispose();
    layer.dispose();
  }
  model.dispose();
}

const S1 = { T: 1, B: 1, I: 64, H: 256 };
console.log(`\nS1 stream step: B=${S1.B}, I=${S1.I}, H=${S1.H}, median of 300 steps`);
for (const cell of ['lstm', 'gru']) {
  const config = { cell, inputSize: S1.I, hiddenSize: S1.H };
  const model = await backend.compile(config, initWeights(config, { seed: 1 }));
  const stream = model.stream({ batch: 1 });
  const xt = tensor(uniformArray(S1.I, -1, 1, createRandom(3)), [1, S1.I]);
  const t = await time(() => stream.step(xt), 300, 100);
  console.log(line(`  ts ${cell} step`, cell, S1, t));
  stream.dispose();
  model.dispose();
}
backend.dispose();
