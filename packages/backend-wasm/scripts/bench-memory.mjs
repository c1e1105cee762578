// Memory and free-list costs of the built package (run `pnpm build` first), or of another build
// of it given as a path (to compare before/after): memory grown by an 8 MB input at H = 1 and by
// a forward too large for wasm32, and the time to dispose many streams and models. Prints
// numbers; asserts nothing.
//   node scripts/bench-memory.mjs [path/to/dist/index.js]
import { createRandom, initWeights, tensor } from '@gated/core';

const path = process.argv[2] ? new URL(process.argv[2], `file://${process.cwd()}/`).href : '../dist/index.js';
const { createWasmBackend } = await import(path);
const MB = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const shuffle = (items, seed) => {
  const random = createRandom(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
};
const ms = (run) => {
  const start = performance.now();
  run();
  return `${(performance.now() - start).toFixed(0)} ms`;
};

async function memoryGrown(label, config, x, options) {
  const backend = await createWasmBackend();
  const model = await backend.compile(config, initWeights(config, { seed: 1 }));
  await model.forward(tensor(new Float32Array(3 * config.inputSize), [3, 1, config.inputSize]));
  const before = backend.memoryBytes;
  const start = performance.now();
  const outcome = await model.forward(x, options).then(
    () => 'ran',
    (error) => error.code,
  );
  const time = (performance.now() - start).toFixed(0);
  console.log(`${label}: ${outcome}, memory ${MB(before)} → ${MB(backend.memoryBytes)} (${time} ms)`);
  backend.dispose();
}

const steps = 2 ** 21;
await memoryGrown(
  '8 MB input, LSTM H=1',
  { cell: 'lstm', inputSize: 1, hiddenSize: 1 },
  tensor(new Float32Array(steps), [steps, 1, 1]),
);
await memoryGrown(
  '5 GiB of gate traces (LSTM H=16, 256 layers, bidirectional, T=32768)',
  { cell: 'lstm', inputSize: 1, hiddenSize: 16, numLayers: 256, bidirectional: true },
  tensor(new Float32Array(32_768), [32_768, 1, 1]),
  { returnGates: true },
);

{
  const backend = await createWasmBackend();
  const config = { cell: 'gru', inputSize: 4, hiddenSize: 8 };
  const model = await backend.compile(config, initWeights(config, { seed: 1 }));
  for (const order of ['in order', 'in random order']) {
    const streams = Array.from({ length: 20_000 }, () => model.stream({ batch: 1 }));
    if (order !== 'in order') shuffle(streams, 3);
    console.log(
      `20,000 streams disposed ${order}: ${ms(() => {
        for (const s of streams) s.dispose();
      })}`,
    );
  }
  backend.dispose();
}
for (const [count, numLayers] of [
  [40, 256],
  [5_000, 1],
]) {
  const backend = await createWasmBackend();
  const config = { cell: 'lstm', inputSize: 4, hiddenSize: 8, numLayers };
  const weights = initWeights(config, { seed: 1 });
  const models = [];
  for (let i = 0; i < count; i++) models.push(await backend.compile(config, weights));
  shuffle(models, 4);
  console.log(
    `${count} models of ${numLayers} layer(s) disposed in random order: ${ms(() => {
      for (const m of models) m.dispose();
    })}`,
  );
  backend.dispose();
}
