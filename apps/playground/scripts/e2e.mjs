// End-to-end check of the built playground in headless Chromium, served from 127.0.0.1 by
// `vite preview` (with the COOP/COEP headers, as `pnpm playground` serves it). Run `pnpm build`
// first (the packages' dist/), and have Chromium at /usr/bin/chromium or at $CHROMIUM.
//   pnpm --filter @gated/playground check:browser
// It types an input, switches through every backend, checks every pair of backends agrees on
// the shown outputs (≤ 1e-5) and the bundled models match PyTorch's recorded outputs (≤ 1e-5),
// checks that every heatmap has pixels drawn, moves the step with the keyboard, runs "compare
// all", drops an ONNX file (exported here with @gated/onnx) and checks its output against the ts
// backend in Node, and fails on any console error or warning. Screenshots: screenshots/.
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createTsBackend } from '@gated/backend-ts';
import { initWeights, tensor } from '@gated/core';
import { exportOnnx } from '@gated/onnx';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { chromiumPath, elapsed } from '../../../tools/browser/page-check.mjs';

const TOLERANCE = 1e-5;
const BACKENDS = ['ts', 'wasm', 'webgpu', 'tfjs-webgl', 'tfjs-webgpu', 'onnx'];
const TYPED = '((.)(())).)((.';
const appDir = fileURLToPath(new URL('..', import.meta.url));
const shotsDir = fileURLToPath(new URL('../screenshots/', import.meta.url));
const started = performance.now();
const failures = [];
const fail = (message) => {
  failures.push(message);
  console.error(`FAIL: ${message}`);
};

const executablePath = await chromiumPath();
await build({ root: appDir, logLevel: 'warn' });
console.log(`vite build: ${elapsed(started)}`);
const server = await preview({ root: appDir, logLevel: 'warn', preview: { port: 0, strictPort: false } });
const origin = server.resolvedUrls.local[0];
await mkdir(shotsDir, { recursive: true });

const browser = await chromium.launch({
  executablePath,
  args: ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
});
console.log(`chromium ${browser.version()}, page at ${origin}`);
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
const consoleProblems = [];
page.on('console', (m) => {
  if (m.type() === 'error' || m.type() === 'warning') consoleProblems.push(`${m.type()}: ${m.text()}`);
});
page.on('pageerror', (e) => consoleProblems.push(`pageerror: ${e.message}`));

const maxDiff = (a, b) =>
  a.length !== b.length
    ? Number.POSITIVE_INFINITY
    : a.reduce((m, v, k) => Math.max(m, Math.abs(v - b[k])), 0);
const hook = () => page.evaluate(() => window.__playground);
/** Waits until the page has finished the run a change started. */
async function settled() {
  await page.waitForFunction(() => window.__playground?.state === 'ready', null, { timeout: 120_000 });
  return hook();
}
async function pickBackend(id) {
  // Checking a radio starts a run at once (the page is 'busy' until it ends); an already
  // checked one starts nothing and shows its last run.
  if (!(await page.isChecked(`#backend-${id}`))) await page.check(`#backend-${id}`);
  const h = await settled();
  if (h.lastError) throw new Error(`${id}: ${h.lastError.message}`);
  if (h.last?.backendId !== id) throw new Error(`${id}: the page shows ${h.last?.backendId}`);
  return h.last;
}
async function typeInput(text) {
  await page.fill('#sequence', '');
  await page.type('#sequence', text);
  return settled();
}

/** Every backend on the current input: outputs per backend, pairwise max diffs. */
async function throughBackends(label) {
  const outputs = {};
  for (const id of BACKENDS) {
    const since = performance.now();
    try {
      const last = await pickBackend(id);
      outputs[id] = last;
      console.log(
        `  ${label} ${id} (${last.backendName}): ${last.ms.toFixed(2)} ms/forward (${elapsed(since)})`,
      );
    } catch (error) {
      fail(`${label}: ${error.message}`);
    }
  }
  const ids = Object.keys(outputs);
  const pairs = [];
  for (let a = 0; a < ids.length; a++) {
    for (let b = a + 1; b < ids.length; b++) {
      const diff = Math.max(
        maxDiff(outputs[ids[a]].output, outputs[ids[b]].output),
        maxDiff(outputs[ids[a]].logits ?? [], outputs[ids[b]].logits ?? []),
      );
      pairs.push(`${ids[a]}/${ids[b]} ${diff.toExponential(1)}`);
      if (!(diff <= TOLERANCE)) fail(`${label}: ${ids[a]} vs ${ids[b]} differ by ${diff}`);
    }
  }
  console.log(`  ${label} pairwise max |a − b|: ${pairs.join(', ')}`);
  return outputs;
}

/** Every heatmap canvas has more than a few distinct colours drawn (pixels, not just elements). */
async function checkHeatmaps(label) {
  const counts = await page.$$eval('canvas[data-heatmap], canvas[data-curve]', (canvases) =>
    canvases.map((c) => {
      // Read through a copy made for reading (reading the page's canvas again and again makes
      // Chromium warn that it should have been created with willReadFrequently).
      const copy = document.createElement('canvas');
      copy.width = c.width;
      copy.height = c.height;
      const ctx = copy.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(c, 0, 0);
      const { data } = ctx.getImageData(0, 0, c.width, c.height);
      const colours = new Set();
      for (let k = 0; k < data.length; k += 16)
        colours.add((data[k] << 16) | (data[k + 1] << 8) | data[k + 2]);
      return {
        name: c.dataset.heatmap ?? c.dataset.curve,
        colours: colours.size,
        label: c.getAttribute('aria-label'),
      };
    }),
  );
  if (counts.length < 5) fail(`${label}: only ${counts.length} canvases`);
  for (const c of counts) {
    if (c.colours < 4) fail(`${label}: canvas '${c.name}' looks empty (${c.colours} colours)`);
    if (!c.label) fail(`${label}: canvas '${c.name}' has no aria-label`);
  }
  console.log(
    `  ${label}: ${counts.length} canvases drawn (${counts.map((c) => `${c.name} ${c.colours}`).join(', ')})`,
  );
}

async function checkModel(name) {
  const sidecar = JSON.parse(await readFile(`${appDir}public/models/${name}.json`, 'utf8'));
  console.log(`${name}: held-out accuracy ${sidecar.accuracy.perStep} per step (recorded by train.py)`);
  await page.selectOption('#model-select', name);
  await typeInput(sidecar.example.text);
  const shown = await page.textContent('.accuracy');
  if (!shown?.includes((100 * sidecar.accuracy.perStep).toFixed(3))) fail(`${name}: accuracy not shown`);
  // The stored example: every backend against PyTorch's recorded f32 outputs.
  const example = await throughBackends(`${name} example`);
  for (const [id, last] of Object.entries(example)) {
    const diff = Math.max(
      maxDiff(last.output, sidecar.example.output),
      maxDiff(last.logits, sidecar.example.logits),
    );
    console.log(`  ${name} ${id} vs PyTorch: max |a − b| ${diff.toExponential(2)}`);
    if (!(diff <= TOLERANCE)) fail(`${name}: ${id} differs from PyTorch by ${diff}`);
  }
  await typeInput(TYPED);
  await throughBackends(`${name} typed`);
  await pickBackend('wasm');
  await checkHeatmaps(name);
  await page.focus('.timeline');
  const before = await page.getAttribute('.timeline', 'aria-valuenow');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const after = await page.getAttribute('.timeline', 'aria-valuenow');
  if (after !== '3') fail(`${name}: keyboard step selection: aria-valuenow ${before} → ${after}, expected 3`);
  await page.screenshot({ path: `${shotsDir}${name}.png`, fullPage: true });
}

async function compareAll() {
  await page.click('#compare-all');
  await page.waitForFunction(
    () => window.__playground.compare !== null && window.__playground.state === 'ready',
  );
  const { compare } = await hook();
  const ran = compare.filter((e) => e.output);
  for (const e of compare) if (e.error) fail(`compare all: ${e.id} failed: ${e.error}`);
  let worst = 0;
  for (let a = 0; a < ran.length; a++)
    for (let b = a + 1; b < ran.length; b++) worst = Math.max(worst, maxDiff(ran[a].output, ran[b].output));
  console.log(`compare all: ${ran.length} backends, largest pairwise difference ${worst.toExponential(2)}`);
  if (!(worst <= TOLERANCE)) fail(`compare all: largest difference ${worst}`);
  await page.locator('#compare').screenshot({ path: `${shotsDir}compare-all.png` });
}

/** A GRU exported to ONNX here, dropped on the page as a file; its output against Node's ts. */
async function dropOnnx() {
  const config = { cell: 'gru', inputSize: 4, hiddenSize: 6 };
  const weights = initWeights(config, { seed: 5 });
  const bytes = exportOnnx(config, weights);
  await page.evaluate(
    ({ data }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], 'dropped-gru.onnx'));
      const zone = document.querySelector('[data-drop-zone]');
      zone.dispatchEvent(
        new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }),
      );
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { data: Array.from(bytes) },
  );
  await page.waitForFunction(() => window.__playground.model === 'dropped:dropped-gru.onnx');
  const { last, text } = await settled();
  const chars = [...text];
  const x = new Float32Array(chars.length * 4);
  chars.forEach((ch, t) => {
    x[t * 4 + (ch.codePointAt(0) % 4)] = 1;
  });
  const backend = await createTsBackend();
  const model = await backend.compile(config, weights);
  const { output } = await model.forward(tensor(x, [chars.length, 1, 4]));
  backend.dispose();
  const diff = maxDiff(last.output, Array.from(output.data));
  console.log(`dropped ONNX (GRU 4→6) on ${last.backendId}: max |page − Node ts| ${diff.toExponential(2)}`);
  if (!(diff <= TOLERANCE)) fail(`dropped ONNX: differs from Node by ${diff}`);
  await checkHeatmaps('dropped ONNX');
  await page.screenshot({ path: `${shotsDir}dropped-onnx.png`, fullPage: true });
}

try {
  await page.goto(origin);
  await settled();
  const isolated = await page.evaluate(() => globalThis.crossOriginIsolated);
  console.log(`page ready (crossOriginIsolated ${isolated}): ${elapsed(started)}`);
  await checkModel('brackets-lstm');
  await checkModel('brackets-gru');
  await page.selectOption('#model-select', 'brackets-lstm');
  await settled();
  await compareAll();
  await dropOnnx();
} catch (error) {
  fail(`e2e stopped: ${error.stack ?? error}`);
} finally {
  await browser.close();
  await new Promise((resolve) => server.httpServer.close(resolve));
}
for (const problem of consoleProblems) fail(`console ${problem}`);
console.log(`screenshots: ${shotsDir}`);
console.log(`total: ${elapsed(started)}`);
if (failures.length) {
  console.error(`FAILED (${failures.length}):\n${failures.join('\n')}`);
  process.exit(1);
}
console.log('playground e2e passed');
