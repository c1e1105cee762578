// Fixture page for src/vite-build.test.ts and scripts/check-browser.mjs: loads the wasm backend
// the way an app bundled by Vite does, runs one seeded LSTM forward and publishes the output in
// `document.body.dataset.result` (or the failure in `dataset.error`). `?threads=n` asks for n
// threads. The page reports its own config and seeds so the checker recomputes the same forward
// in Node without a second copy of them.
import { createWasmBackend } from '@gated/backend-wasm';
import { createRandom, initWeights, type RecurrentConfig, tensor, uniformArray } from '@gated/core';

const config: RecurrentConfig = { cell: 'lstm', inputSize: 32, hiddenSize: 32, numLayers: 2 };
const weightSeed = 7;
const inputSeed = 11;
// Large enough that with 2 threads the input GEMM and the recurrence are split between threads.
const shape: [number, number, number] = [8, 4, config.inputSize];

async function run(): Promise<void> {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
    warn(...args);
  };
  const threads = Number(new URLSearchParams(location.search).get('threads') ?? '1');
  const backend = await createWasmBackend({ threads });
  const model = await backend.compile(config, initWeights(config, { seed: weightSeed }));
  const length = shape[0] * shape[1] * shape[2];
  const x = tensor(uniformArray(length, -1, 1, createRandom(inputSeed)), shape);
  const { output } = await model.forward(x);
  document.body.dataset.result = JSON.stringify({
    config,
    weightSeed,
    inputSeed,
    shape,
    output: Array.from(output.data),
    checksum: output.data.reduce((sum, v) => sum + v, 0),
    relaxedSimd: backend.relaxedSimd,
    threadsAsked: threads,
    threads: backend.threads,
    crossOriginIsolated: globalThis.crossOriginIsolated ?? false,
    warnings,
  });
  model.dispose();
  backend.dispose();
}

run().catch((error: unknown) => {
  document.body.dataset.error = String(error);
});
