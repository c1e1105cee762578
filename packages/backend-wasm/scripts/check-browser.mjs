// Loads the package in headless Chromium the way an app bundled by Vite does and checks its
// numbers against the built package in Node. Run `pnpm build` first, and have Chromium at
// /usr/bin/chromium (Debian: `apt-get install -y chromium`) or at $CHROMIUM.
//   pnpm --filter @gated/backend-wasm check:browser
// Builds test-app/ with Vite, serves it on 127.0.0.1 (one server plain, one with the COOP/COEP
// headers of cross-origin isolation), and runs these pages: the default load (relaxed SIMD where
// Chromium has it), the inline base64 fallback (every .wasm request aborted), `threads: 2`
// without isolation (expected: one thread and one warning) and `threads: 2` with it (expected:
// two threads, bit-identical to the default page), then `threads: 2` isolated with the inline
// fallback, and the default and threaded pages on Vite's dev server. Exits 1 on any mismatch.
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createRandom, initWeights, tensor, uniformArray } from '@gated/core';
import { chromium } from 'playwright-core';
import { build, createServer as createViteServer } from 'vite';
import {
  buildTestApp,
  chromiumPath,
  elapsed,
  finishCheck,
  serveDirectory,
} from '../../../tools/browser/page-check.mjs';
import { createWasmBackend } from '../dist/index.js';

const TOLERANCE = 1e-6;
const executablePath = await chromiumPath();
const started = performance.now();

const outDir = await buildTestApp(build, import.meta.url, { name: 'wasm' });

/** The page's forward recomputed in Node by the built package (SIMD128 on Node 20). */
async function nodeForward({ config, weightSeed, inputSeed, shape }) {
  const backend = await createWasmBackend();
  const model = await backend.compile(config, initWeights(config, { seed: weightSeed }));
  const x = tensor(uniformArray(shape[0] * shape[1] * shape[2], -1, 1, createRandom(inputSeed)), shape);
  const { output } = await model.forward(x);
  model.dispose();
  backend.dispose();
  return { output: output.data, relaxedSimd: backend.relaxedSimd };
}

const plain = await serveDirectory(outDir);
const isolated = await serveDirectory(outDir, { isolated: true });
// The dev server (how the playground runs), with isolation headers so threads can start.
const dev = await createViteServer({
  root: fileURLToPath(new URL('../test-app/', import.meta.url)),
  configFile: false,
  logLevel: 'warn',
  server: {
    host: '127.0.0.1',
    port: 0,
    headers: { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' },
  },
});
await dev.listen();
const devOrigin = dev.resolvedUrls.local[0].replace(/\/$/, '');
const browser = await chromium.launch({ executablePath });
console.log(`chromium ${browser.version()} (${executablePath})`);
const failures = [];
const results = {};

async function check(name, url, expect, setup = async () => {}) {
  const since = performance.now();
  const page = await browser.newPage();
  const log = [];
  const requested = [];
  page.on('console', (message) => log.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => log.push(`pageerror: ${error.message}`));
  page.on('request', (request) => requested.push(new URL(request.url()).pathname.replace('/assets/', '')));
  await setup(page);
  await page.goto(url);
  await page.waitForSelector('body[data-result], body[data-error]', { state: 'attached', timeout: 30_000 });
  const { result, error } = await page.evaluate(() => document.body.dataset);
  await page.close();
  if (error) {
    failures.push(`${name}: page failed: ${error}\n  ${log.join('\n  ')}`);
    return;
  }
  const page_ = JSON.parse(result);
  results[name] = page_;
  const reference = await nodeForward(page_);
  let maxDiff = 0;
  for (let i = 0; i < reference.output.length; i++)
    maxDiff = Math.max(maxDiff, Math.abs(page_.output[i] - reference.output[i]));
  const wasm = requested
    .filter((p) => p.endsWith('.wasm') || p.includes('inline'))
    .map((p) => p.replace(/-[\w-]{8}\./, '.'));
  console.log(
    `${name}: relaxedSimd=${page_.relaxedSimd} threads=${page_.threads}/${page_.threadsAsked} ` +
      `crossOriginIsolated=${page_.crossOriginIsolated} checksum=${page_.checksum.toFixed(6)} ` +
      `first=[${page_.output
        .slice(0, 3)
        .map((v) => v.toFixed(6))
        .join(', ')}] ` +
      `max|browser − node(${reference.relaxedSimd ? 'relaxed' : 'SIMD128'})|=${maxDiff.toExponential(2)} ` +
      `requested=[${wasm.join(', ')}]` +
      (page_.warnings.length ? ` warned="${page_.warnings.join(' | ')}"` : '') +
      ` (${elapsed(since)})`,
  );
  if (page_.output.length !== reference.output.length || !(maxDiff <= TOLERANCE))
    failures.push(`${name}: max abs diff ${maxDiff} against Node exceeds ${TOLERANCE}`);
  for (const [key, value] of Object.entries(expect)) {
    const actual = key === 'requested' ? wasm.join(', ') : page_[key];
    if (typeof value === 'function' ? !value(actual) : actual !== value)
      failures.push(
        `${name}: ${key} = ${JSON.stringify(actual)}, expected ${typeof value === 'function' ? value : JSON.stringify(value)}`,
      );
  }
}

try {
  await check('default load', `${plain.origin}/`, {
    relaxedSimd: true,
    threads: 1,
    requested: 'gated-relaxed.wasm',
  });
  await check(
    'inline fallback (.wasm requests aborted)',
    `${plain.origin}/`,
    { relaxedSimd: false, threads: 1, requested: (r) => r.endsWith('wasm-inline.generated.js') },
    (page) => page.route('**/*.wasm', (route) => route.abort()),
  );
  await check('threads: 2 without cross-origin isolation', `${plain.origin}/?threads=2`, {
    threads: 1,
    crossOriginIsolated: false,
    warnings: (w) => w.length === 1 && w[0].includes('running on 1 thread'),
  });
  await check('threads: 2 with COOP/COEP', `${isolated.origin}/?threads=2`, {
    threads: 2,
    crossOriginIsolated: true,
    warnings: (w) => w.length === 0,
    requested: 'gated-threads-relaxed.wasm',
  });
  await check(
    'threads: 2 with COOP/COEP, inline fallback',
    `${isolated.origin}/?threads=2`,
    {
      relaxedSimd: false,
      threads: 2,
      requested: (r) => r.endsWith('wasm-threads-inline.generated.js'),
    },
    (page) => page.route('**/*.wasm', (route) => route.abort()),
  );
  await check('vite dev server, default load', `${devOrigin}/`, { relaxedSimd: true, threads: 1 });
  await check('vite dev server, threads: 2 with COOP/COEP', `${devOrigin}/?threads=2`, {
    relaxedSimd: true,
    threads: 2,
    crossOriginIsolated: true,
  });
  const one = results['default load']?.output;
  const two = results['threads: 2 with COOP/COEP']?.output;
  if (one && two) {
    const same = one.length === two.length && one.every((v, i) => Object.is(v, two[i]));
    console.log(`2 threads (isolated) bit-identical to 1 thread: ${same}`);
    if (!same) failures.push('threads: 2 with COOP/COEP differs from the default load');
  }
} finally {
  await browser.close();
  plain.close();
  await dev.close();
  isolated.close();
  await rm(outDir, { recursive: true, force: true });
}
finishCheck(started, failures);
