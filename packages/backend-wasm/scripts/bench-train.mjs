// Training benchmark of the built package (run `pnpm build` first): S2 (B=32, T=100, I=128,
// H=256) LSTM and GRU (reset-after, and reset-before as tfjs runs it), the forward alone next
// to recordForward + backward (+ release), alternated in one process so both see the same
// machine. Prints medians with the spread (min–max) in wall-clock time and process CPU time;
// asserts nothing.
//   node scripts/bench-train.mjs [--runs 9] [--threads 1] [--cells lstm,gru,gru-before]
import { createRandom, initWeights, tensor, uniformArray } from '@gated/core';
import { createWasmBackend } from '../dist/index.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg('runs', 9));
const THREADS = Number(arg('threads', 1));
const CELLS = arg('cells', 'lstm,gru,gru-before').split(',');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
const cpuMs = (usage) => (usage.user + usage.system) / 1000;

const backend = await createWasmBackend({ threads: THREADS });
console.log(
  `wasm ${backend.relaxedSimd ? 'relaxed SIMD' : 'SIMD128'}, ${backend.threads} thread(s), ${RUNS} runs each, alternated`,
);

async function timed(fn) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await fn();
  return { wall: performance.now() - start, cpu: cpuMs(process.cpuUsage(cpu)) };
}

for (const name of CELLS) {
  const [T, B, I, H] = [100, 32, 128, 256];
  const cell = name.startsWith('gru') ? 'gru' : name;
  const config = {
    cell,
    inputSize: I,
    hiddenSize: H,
    ...(name === 'gru-before' ? { resetAfter: false } : {}),
  };
  const model = await backend.compile(config, initWeights(config, { seed: 1 }));
  const random = createRandom(2);
  const x = tensor(uniformArray(T * B * I, -1, 1, random), [T, B, I]);
  const upstream = { output: tensor(uniformArray(T * B * H, -1, 1, random), [T, B, H]) };
  const forward = () => model.forward(x);
  const train = async () => {
    const recorded = await model.recordForward(x);
    await recorded.backward(upstream);
    recorded.release();
  };
  // Warm-up (packs the transposed weights, grows the memory once).
  await forward();
  await train();
  const f = [];
  const t = [];
  const r = [];
  const b = [];
  for (let run = 0; run < RUNS; run++) {
    f.push(await timed(forward));
    t.push(await timed(train));
    // The parts of a training step: the recorded forward, then the backward alone.
    let recorded;
    r.push(
      await timed(async () => {
        recorded = await model.recordForward(x);
      }),
    );
    b.push(await timed(() => recorded.backward(upstream)));
    recorded.release();
  }
  model.dispose();
  const line = (label, xs) =>
    `  ${label.padEnd(30)} ${median(xs.map((s) => s.wall)).toFixed(1)} ms wall (${spread(xs.map((s) => s.wall))}), cpu ${median(xs.map((s) => s.cpu)).toFixed(1)} ms (${spread(xs.map((s) => s.cpu))})`;
  console.log(`S2 ${name.toUpperCase()} B=${B} T=${T} I=${I} H=${H}`);
  console.log(line('forward', f));
  console.log(line('recordForward + backward', t));
  console.log(line('  recordForward', r));
  console.log(line('  backward', b));
}
backend.dispose();
