// Runs the whole conformance catalogue on gated-on-tfjs in headless Chromium, over tfjs' webgl
// backend (software GL: SwiftShader through ANGLE) and its webgpu backend (Chromium's software
// adapter), the package loaded as an app bundled by Vite loads it. Run `pnpm build` first, and
// have Chromium at /usr/bin/chromium (Debian: `apt-get install -y chromium`) or at $CHROMIUM.
//   pnpm --filter @gated/backend-tfjs check:browser [-- --rows webgl,webgpu]
// Builds test-app/ with Vite, serves it on 127.0.0.1 (WebGPU needs a secure context: 127.0.0.1
// is one) with a Keras model.json beside it (read by the page with core's loader, through
// fetch) and runs one page per tfjs backend, side by side. Exits 1 when any case or contract check fails, or
// when tf.memory() is not back where it was after the catalogue.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import {
  buildTestApp,
  chromiumPath,
  elapsed,
  finishCheck,
  runReportingPage,
  selectedRows,
  serveDirectory,
} from '../../../tools/browser/page-check.mjs';

const ROWS = ['webgl', 'webgpu'];
const rows = selectedRows(ROWS);
/** Bounds a hang only. */
const PAGE_TIMEOUT_MS = 10 * 60_000;

const executablePath = await chromiumPath();
const started = performance.now();

// tfjs' own modules trip Vite's chunking notices (a dynamic import of tfjs-core that the
// static imports already bring in): errors only.
const outDir = await buildTestApp(build, import.meta.url, { name: 'tfjs', logLevel: 'error' });

/** A Keras-style model.json (TensorFlow 2 weight names) with a GRU with reset_after=True (bias
 * [2, 3H]) and its shard, served next to the page: the page reads it with core's loader. */
async function writeKerasModel(dir) {
  const [I, H] = [3, 4];
  const weights = [
    ['gru/gru_cell/kernel', [I, 3 * H]],
    ['gru/gru_cell/recurrent_kernel', [H, 3 * H]],
    ['gru/gru_cell/bias', [2, 3 * H]],
  ];
  const count = weights.reduce((n, [, shape]) => n + shape[0] * shape[1], 0);
  const data = Float32Array.from({ length: count }, (_, k) => Math.sin(k * 1.7) * 0.6);
  const modelJson = {
    format: 'layers-model',
    modelTopology: {
      keras_version: '2.15.0',
      model_config: {
        class_name: 'Sequential',
        config: {
          name: 'sequential',
          layers: [
            {
              class_name: 'GRU',
              config: { name: 'gru', units: H, reset_after: true, return_sequences: true },
            },
          ],
        },
      },
    },
    weightsManifest: [
      {
        paths: ['group1-shard1of1.bin'],
        weights: weights.map(([name, shape]) => ({ name, shape, dtype: 'float32' })),
      },
    ],
  };
  await mkdir(join(dir, 'keras'));
  await writeFile(join(dir, 'keras', 'model.json'), JSON.stringify(modelJson));
  await writeFile(join(dir, 'keras', 'group1-shard1of1.bin'), new Uint8Array(data.buffer));
}
await writeKerasModel(outDir);

const server = await serveDirectory(outDir);
// WebGL on SwiftShader (no GPU here) and WebGPU on Chromium's software adapter.
const browser = await chromium.launch({
  executablePath,
  args: ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
});
console.log(`chromium ${browser.version()} (${executablePath})`);
const failures = [];
/** One page per tfjs backend, all at once (each waits mostly on its own shader compiles). */
async function runRow(row) {
  const since = performance.now();
  const {
    result: r,
    error,
    log,
  } = await runReportingPage(browser, `${server.origin}/?backend=${row}`, PAGE_TIMEOUT_MS);
  if (error) return { row, failures: [`${row}: page failed: ${error}\n  ${log.join('\n  ')}`] };
  const device =
    r.webglVersion !== null
      ? ` (WebGL ${r.webglVersion}, float32 textures ${r.floatTextures})`
      : r.adapter
        ? ` (adapter ${r.adapter})`
        : '';
  const line =
    `${row}: ${r.backend}${device}: ${r.cases} cases ${JSON.stringify(r.summary)}, ` +
    `${r.contractChecks} contract checks ${JSON.stringify(r.contractSummary)}, ` +
    `max |error| ${r.maxAbsError.toExponential(2)}, keras/model.json ${r.keras.layers.join(', ')} max |error| ` +
    `${r.keras.maxAbsError.toExponential(2)}, tf.memory() ${r.memory.before} → ${r.memory.after} tensors (${elapsed(since)})`;
  const rowFailures = r.failures.map((f) => `${row}: ${f}`);
  if (r.cases === 0) rowFailures.push(`${row}: no case ran`);
  return { row, line, failures: rowFailures };
}
try {
  const results = await Promise.all(rows.map(runRow));
  for (const { line, failures: rowFailures } of results) {
    if (line) console.log(line);
    failures.push(...rowFailures);
  }
} finally {
  await browser.close();
  server.close();
  await rm(outDir, { recursive: true, force: true });
}
finishCheck(started, failures);
