// Benchmark of the built package (run `pnpm build` first): S2 batch forward and S1 stream step
// for LSTM and GRU, each S2 forward alternated with a burst of the f32x4 mul+add peak kernel so
// that "% of peak" compares two measurements taken seconds apart, not minutes (a process's speed
// drifts); then S2 again with worker threads. Prints numbers; asserts nothing.
//   node scripts/bench.mjs [--runs 7] [--steps 300] [--threads 2]
// CPU time of a threaded run sums all threads, so only its wall time is comparable.
import { readFile } from 'node:fs/promises';
import { createRandom, gateCount, initWeights, tensor, uniformArray } from '@gated/core';
import { createWasmBackend } from '../dist/index.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('runs', 7);
const STEPS = arg('steps', 300);
const THREADS = arg('threads', 2);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** CPU time of this process: less disturbed than wall time when other jobs share the cores. */
const cpuMs = (usage) => (usage.user + usage.system) / 1000;
const gflops = (T, B, G, H, I, ms) => (2 * T * B * G * H * (I + H)) / (ms * 1e6);

let backend = await createWasmBackend();
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
console.log(
  `wasm kernels: ${backend.relaxedSimd ? 'relaxed SIMD (f32x4.relaxed_madd)' : 'SIMD128 (mul + add)'}`,
);

/** S2 forwards; on one thread each is paired with a peak burst run right before it, and the
 * fraction of peak is reported per pair (median and p10–p90). */
async function batchForward(cell, label = '1 thread', peakBurst = null) {
  const [T, B, I, H] = [100, 32, 128, 256];
  const config = { cell, inputSize: I, hiddenSize: H };
  const model = await backend.compile(config, initWeights(config, { seed: 1 }));
  const x = tensor(uniformArray(T * B * I, -1, 1, createRandom(2)), [T, B, I]);
  await model.forward(x);
  const G = gateCount(cell);
  const times = [];
  const cpu = [];
  const fractions = [];
  for (let r = 0; r < RUNS; r++) {
    const peakNow = peakBurst?.();
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    await model.forward(x);
    const cpuTime = cpuMs(process.cpuUsage(cpuStart));
    cpu.push(cpuTime);
    times.push(performance.now() - start);
    if (peakNow) fractions.push(gflops(T, B, G, H, I, cpuTime) / peakNow);
  }
  model.dispose();
  const ms = median(times);
  const share =
    fractions.length > 0
      ? ` = ${(100 * median(fractions)).toFixed(0)}% of the peak measured next to it (p10–p90 ${(100 * quantile(fractions, 0.1)).toFixed(0)}–${(100 * quantile(fractions, 0.9)).toFixed(0)}%, ${fractions.length} pairs)`
      : '';
  console.log(
    `S2 ${cell.toUpperCase()} (${label}) B=${B} T=${T} I=${I} H=${H}: ${ms.toFixed(1)} ms wall (median of ${RUNS}), ${gflops(T, B, G, H, I, ms).toFixed(1)} GFLOP/s; ` +
      `cpu time ${median(cpu).toFixed(1)} ms, ${gflops(T, B, G, H, I, median(cpu)).toFixed(1)} GFLOP/s${share}`,
  );
}

async function streamStep(cell) {
  const [B, I, H] = [1, 64, 256];
  const config = { cell, inputSize: I, hiddenSize: H };
  const model = await backend.compile(config, initWeights(config, { seed: 1 }));
  const stream = model.stream({ batch: B });
  const x = tensor(uniformArray(B * I, -1, 1, createRandom(3)), [B, I]);
  for (let i = 0; i < 50; i++) await stream.step(x);
  const times = [];
  for (let i = 0; i < STEPS; i++) {
    const start = performance.now();
    await stream.step(x);
    times.push(performance.now() - start);
  }
  model.dispose();
  const ms = median(times);
  console.log(
    `S1 ${cell.toUpperCase()} step B=${B} I=${I} H=${H}: ${(ms * 1000).toFixed(1)} µs (median of ${STEPS}), ${gflops(1, B, gateCount(cell), H, I, ms).toFixed(2)} GFLOP/s`,
  );
}

/** A function running one burst of the peak kernel (12 independent f32x4 mul+add chains) and
 * returning its GFLOP/s from CPU time. */
async function peakKernel() {
  const file = backend.relaxedSimd ? 'gated-relaxed.wasm' : 'gated.wasm';
  const bytes = await readFile(new URL(`../dist/${file}`, import.meta.url));
  const memory = new WebAssembly.Memory({ initial: 1 });
  const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
  const iterations = 10_000_000;
  instance.exports.peakMulAdd(1000, 1);
  return () => {
    const start = process.cpuUsage();
    instance.exports.peakMulAdd(iterations, 1);
    return (iterations * 12 * 4 * 2) / (cpuMs(process.cpuUsage(start)) * 1e6);
  };
}

const peakBurst = await peakKernel();
const bursts = Array.from({ length: 5 }, () => peakBurst());
console.log(
  `peak f32x4 ${backend.relaxedSimd ? 'relaxed_madd' : 'mul+add'} (12 chains, cpu time): ${Math.max(...bursts).toFixed(1)} GFLOP/s (best of 5 bursts; each S2 row below measures it again next to every forward)`,
);
for (const cell of ['lstm', 'gru']) await batchForward(cell, '1 thread', peakBurst);
for (const cell of ['lstm', 'gru']) await streamStep(cell);
backend.dispose();
backend = await createWasmBackend({ threads: THREADS });
for (const cell of ['lstm', 'gru']) await batchForward(cell, `${backend.threads} threads`);
backend.dispose();
