// Training cost of @gated/backend-ts: one recordForward + backward against the plain forward.
// Build first (`pnpm build`), then: node scripts/bench-training.mjs [--runs N] [--cells lstm,gru,gru-after]
// S2 (B=32, T=100, I=128, H=256, one layer): for each cell, rounds of forward, recordForward
// alone and recordForward + backward (all gradients: weights, x, h0) alternate in one process,
// so the ratios compare well even on a shared machine. Prints wall-clock and CPU-time medians and GFLOP/s
// with the usual 2·T·B·G·H·(I+H) per forward and 3× that for forward + backward.
import { createRandom, initWeights, tensor, uniformArray } from '@gated/core';
import { createTsBackend } from '../dist/index.js';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const runs = Number(option('--runs', 3));
const cells = option('--cells', 'lstm,gru,gru-after').split(',');

const S2 = { T: 100, B: 32, I: 128, H: 256 };
const CONFIGS = {
  lstm: { cell: 'lstm' },
  // The S2 GRU of the forward bench (and of tfjs-layers): resetAfter false.
  gru: { cell: 'gru', resetAfter: false },
  'gru-after': { cell: 'gru', resetAfter: true },
};
const GATES = { lstm: 4, gru: 3 };

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall-clock and CPU milliseconds of one call (CPU time: the machine may be shared). */
async function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

const backend = await createTsBackend();
console.log(
  `node ${process.version}; S2 B=${S2.B}, T=${S2.T}, I=${S2.I}, H=${S2.H}, one layer; median of ${runs}`,
);
for (const name of cells) {
  const config = { ...CONFIGS[name], inputSize: S2.I, hiddenSize: S2.H };
  const model = await backend.compile(config, initWeights(config, { seed: 1 }));
  const x = tensor(uniformArray(S2.T * S2.B * S2.I, -1, 1, createRandom(2)), [S2.T, S2.B, S2.I]);
  const upstream = {
    output: tensor(uniformArray(S2.T * S2.B * S2.H, -1, 1, createRandom(3)), [S2.T, S2.B, S2.H]),
  };
  const forward = () => model.forward(x);
  const record = async () => (await model.recordForward(x)).release();
  const train = async () => {
    const recorded = await model.recordForward(x);
    await recorded.backward(upstream);
    recorded.release();
  };
  // Warm-up: one of each (the first backward also transposes the weights once).
  for (const fn of [forward, record, train]) await fn();
  const times = { forward: [], record: [], train: [] };
  for (let round = 0; round < runs; round++) {
    times.forward.push(await timed(forward));
    times.record.push(await timed(record));
    times.train.push(await timed(train));
  }
  const flops = 2 * S2.T * S2.B * GATES[config.cell] * S2.H * (S2.I + S2.H);
  const rate = (count, ms) => (count / (ms * 1e6)).toFixed(2);
  const report = (clock) => {
    const f = median(times.forward.map((t) => t[clock]));
    const r = median(times.record.map((t) => t[clock]));
    const t = median(times.train.map((t) => t[clock]));
    const head = `${name} (${clock})`.padEnd(16);
    console.log(`${head} forward          ${f.toFixed(0).padStart(6)} ms  (${rate(flops, f)} GFLOP/s)`);
    console.log(
      `${''.padEnd(16)} recordForward    ${r.toFixed(0).padStart(6)} ms  (×${(r / f).toFixed(2)} forward)`,
    );
    console.log(
      `${''.padEnd(16)} record+backward  ${t.toFixed(0).padStart(6)} ms  (×${(t / f).toFixed(2)} forward; backward ≈ ${(t - r).toFixed(0)} ms; ${rate(3 * flops, t)} GFLOP/s)`,
    );
  };
  report('wall');
  report('cpu');
  model.dispose();
}
backend.dispose();
