// Times @gated/backend-webgpu on DESIGN.md's standard shapes and prints, per shape, cell and
// recurrence path: median ms per forward (one stream step for S1), GFLOP/s, and submissions and
// dispatches per forward (from backend.stats). The paths' forwards alternate in one process, so
// they compare well with each other. Runs in the repo after `pnpm build`, and from the kit that
// tools/gpu/prepare.sh builds for a machine without Node (see README.md there).
//   node tools/gpu/measure-webgpu.mjs [--shapes S1,S2,S3,S4] [--cells lstm,gru] [--reps 10]
//        [--paths auto,persistent,per-step] [--json out.json] [--allow-software]
// Refuses a software adapter (SwiftShader, lavapipe) unless --allow-software: its times say
// nothing about GPU speed.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    shapes: { type: 'string', default: 'S1,S2,S3,S4' },
    cells: { type: 'string', default: 'lstm,gru' },
    paths: { type: 'string', default: 'persistent,per-step' },
    reps: { type: 'string', default: '10' },
    'gru-reset-after': { type: 'string', default: 'false' },
    json: { type: 'string' },
    'allow-software': { type: 'boolean', default: false },
  },
});
const reps = Number(values.reps);
const resetAfter = values['gru-reset-after'] === 'true';

// @gated/core is the backend's dependency: resolved from the backend, so this file needs no
// package of its own (in the repo and in the kit alike).
const require = createRequire(import.meta.url);
const backendEntry = require.resolve('@gated/backend-webgpu');
const { createWebGpuBackend } = await import(pathToFileURL(backendEntry).href);
const core = await import(pathToFileURL(createRequire(backendEntry).resolve('@gated/core')).href);
const { createRandom, initWeights, tensor, uniformArray } = core;

/** DESIGN.md's standard shapes (f32). */
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
    ...(cell === 'gru' ? { resetAfter } : {}),
  };
}

/** 2·T·B·G·H·(I_k + H), summed over layers and directions. */
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

const paths = values.paths.split(',');
const backends = {};
for (const path of paths) backends[path] = await createWebGpuBackend({ recurrence: path });
const adapter = backends[paths[0]].adapterName || '(no description)';
console.log(`adapter: ${adapter}`);
if (/swiftshader|llvmpipe|lavapipe/i.test(adapter) && !values['allow-software']) {
  console.error(
    'measure-webgpu: a software adapter: its times say nothing about GPU speed (--allow-software to run anyway)',
  );
  process.exit(2);
}
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
    const runs = [];
    for (const path of paths) {
      const backend = backends[path];
      const model = await backend.compile(config, weights);
      const stream = shape.stream ? model.stream({ batch: shape.B }) : null;
      const once = () => (stream ? stream.step(xt) : model.forward(x));
      await once(); // pipelines, pooled buffers and bind groups
      runs.push({ path, backend, model, once, times: [], counts: null });
    }
    for (let rep = 0; rep < reps; rep++) {
      for (const run of runs) {
        const before = run.backend.stats;
        const started = performance.now();
        await run.once();
        run.times.push(performance.now() - started);
        const after = run.backend.stats;
        run.counts = {
          submissions: after.submissions - before.submissions,
          dispatches: after.dispatches - before.dispatches,
        };
      }
    }
    for (const run of runs) {
      const ms = median(run.times);
      const row = {
        shape: name,
        cell,
        ...(cell === 'gru' ? { resetAfter } : {}),
        path: run.path,
        ms: Number(ms.toFixed(4)),
        gflops: shape.stream ? null : Number((flops(shape, cell) / ms / 1e6).toFixed(2)),
        ...run.counts,
        stepsTimesLayersTimesDirections: shape.T * shape.layers * (shape.bidirectional ? 2 : 1),
      };
      rows.push(row);
      run.model.dispose();
      console.log(
        `${name} ${cell.padEnd(4)} ${run.path.padEnd(10)} ${ms.toFixed(3).padStart(10)} ms` +
          (row.gflops === null ? '' : ` ${String(row.gflops).padStart(8)} GFLOP/s`) +
          `  submissions/forward ${row.submissions}  dispatches/forward ${row.dispatches}` +
          ` (T·layers·directions = ${row.stepsTimesLayersTimesDirections})`,
      );
    }
  }
}
for (const backend of Object.values(backends)) backend.dispose();
if (values.json) writeFileSync(values.json, `${JSON.stringify({ adapter, rows }, null, 2)}\n`);
