// Times the two recurrence paths of @gated/backend-webgpu on the standard shapes and prints,
// per shape, cell and path: median ms per forward, GFLOP/s, and submissions and dispatches per
// forward (from backend.stats). Forwards of the two paths alternate in one process, so they
// compare well with each other; on a software adapter (SwiftShader) the times say nothing about
// GPU speed. Run `pnpm build` first.
//   node scripts/bench-paths.mjs [--shapes S1,S2,S3,S4] [--reps 5] [--json out.json]
// Without a GPU: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json node scripts/bench-paths.mjs
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createRandom, initWeights, tensor, uniformArray } from '@gated/core';
import { createWebGpuBackend } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    shapes: { type: 'string', default: 'S1,S2,S3,S4' },
    reps: { type: 'string', default: '5' },
    paths: { type: 'string', default: 'persistent,per-step' },
    cells: { type: 'string', default: 'lstm,gru' },
    json: { type: 'string' },
  },
});
const reps = Number(values.reps);

/** DESIGN.md's standard shapes (GRU as resetAfter = false, as the anchors run it). */
const SHAPES = {
  S1: { B: 1, T: 1, I: 64, H: 256, layers: 1, bidirectional: false, stream: true },
  S2: { B: 32, T: 100, I: 128, H: 256, layers: 1, bidirectional: false },
  S3: { B: 64, T: 50, I: 512, H: 512, layers: 1, bidirectional: false },
  S4: { B: 16, T: 100, I: 128, H: 128, layers: 2, bidirectional: true },
};

function configOf(shape, cell) {
  return {
    cell,
    inputSize: shape.I,
    hiddenSize: shape.H,
    numLayers: shape.layers,
    bidirectional: shape.bidirectional,
    ...(cell === 'gru' ? { resetAfter: false } : {}),
  };
}

/** 2·T·B·G·H·(I_k + H) summed over layers and directions. */
function flops(shape, cell) {
  const G = cell === 'lstm' ? 4 : 3;
  const D = shape.bidirectional ? 2 : 1;
  let total = 0;
  for (let layer = 0; layer < shape.layers; layer++) {
    const I = layer === 0 ? shape.I : D * shape.H;
    total += D * 2 * shape.T * shape.B * G * shape.H * (I + shape.H);
  }
  return total;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const delta = (after, before) => ({
  submissions: after.submissions - before.submissions,
  dispatches: after.dispatches - before.dispatches,
  readbacks: after.readbacks - before.readbacks,
});

const paths = values.paths.split(',');
const backends = Object.fromEntries(
  await Promise.all(paths.map(async (path) => [path, await createWebGpuBackend({ recurrence: path })])),
);
const adapter = backends[paths[0]].adapterName || '(adapter without a description)';
console.log(`adapter: ${adapter}`);
const rows = [];
for (const name of values.shapes.split(',')) {
  const shape = SHAPES[name];
  for (const cell of values.cells.split(',')) {
    const config = configOf(shape, cell);
    const weights = initWeights(config, { seed: 1 });
    const x = tensor(uniformArray(shape.T * shape.B * shape.I, -1, 1, createRandom(2)), [
      shape.T,
      shape.B,
      shape.I,
    ]);
    const xt = tensor(uniformArray(shape.B * shape.I, -1, 1, createRandom(3)), [shape.B, shape.I]);
    const runs = {};
    for (const path of paths) {
      const backend = backends[path];
      const model = await backend.compile(config, weights);
      const stream = shape.stream ? model.stream({ batch: shape.B }) : null;
      const once = () => (stream ? stream.step(xt) : model.forward(x));
      await once(); // pipelines, pooled buffers and bind groups
      runs[path] = { backend, model, once, times: [], counts: null };
    }
    for (let rep = 0; rep < reps; rep++) {
      for (const path of paths) {
        const run = runs[path];
        const before = run.backend.stats;
        const started = performance.now();
        await run.once();
        run.times.push(performance.now() - started);
        run.counts = delta(run.backend.stats, before);
      }
    }
    for (const path of paths) {
      const run = runs[path];
      const ms = median(run.times);
      const row = {
        shape: name,
        cell,
        path,
        ms: Number(ms.toFixed(3)),
        gflops: shape.stream ? null : Number((flops(shape, cell) / ms / 1e6).toFixed(2)),
        ...run.counts,
        bound: shape.T * shape.layers * (shape.bidirectional ? 2 : 1),
      };
      rows.push(row);
      run.model.dispose();
      console.log(
        `${name} ${cell.padEnd(4)} ${path.padEnd(10)} ${ms.toFixed(2).padStart(9)} ms` +
          (row.gflops === null ? '' : ` ${String(row.gflops).padStart(7)} GFLOP/s`) +
          `  submissions/forward ${row.submissions}  dispatches/forward ${row.dispatches}` +
          ` (T·layers·directions = ${row.bound})`,
      );
    }
  }
}
for (const backend of Object.values(backends)) backend.dispose();
if (values.json) writeFileSync(values.json, `${JSON.stringify({ adapter, rows }, null, 2)}\n`);
