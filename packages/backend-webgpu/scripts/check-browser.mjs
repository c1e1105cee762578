// Runs the whole conformance catalogue on WebGPU in headless Chromium, the backend loaded the
// way an app bundled by Vite loads it. Run `pnpm build` first, and have Chromium at
// /usr/bin/chromium (Debian: `apt-get install -y chromium`, which also brings SwiftShader, the
// software Vulkan driver Chromium's WebGPU uses on machines without a GPU) or at $CHROMIUM.
//   pnpm --filter @gated/backend-webgpu check:browser [-- --rows default,per-step,f16]
// Builds test-app/ with Vite, serves it on 127.0.0.1 (WebGPU needs a secure context: localhost
// is one), starts Chromium with --enable-unsafe-webgpu and runs one page per row: the default
// options, the per-step path, f16 weights. Exits 1 when any case or contract check fails.
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { build } from 'vite';

const ROWS = {
  default: '',
  'per-step': '?recurrence=per-step',
  f16: '?weightFormat=f16',
};
const { values } = parseArgs({ options: { rows: { type: 'string', default: 'default,per-step,f16' } } });
const rows = values.rows.split(',');
for (const row of rows) {
  if (!(row in ROWS)) {
    console.error(`check-browser: unknown row '${row}' (rows: ${Object.keys(ROWS).join(', ')})`);
    process.exit(1);
  }
}
/** A whole catalogue takes about a minute on SwiftShader; this only bounds a hang. */
const PAGE_TIMEOUT_MS = 10 * 60_000;

const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
try {
  await access(executablePath);
} catch {
  console.error(
    `check-browser: no Chromium at ${executablePath} (apt-get install -y chromium, or set CHROMIUM)`,
  );
  process.exit(1);
}
const started = performance.now();
const elapsed = (since) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

const outDir = await mkdtemp(join(tmpdir(), 'gated-webgpu-check-browser-'));
await build({
  root: fileURLToPath(new URL('../test-app/', import.meta.url)),
  configFile: false,
  logLevel: 'warn',
  build: { outDir, emptyOutDir: true },
});
console.log(`vite build: ${elapsed(started)}`);

const TYPES = { '.html': 'text/html', '.js': 'text/javascript' };
const server = createServer(async (request, response) => {
  const path =
    normalize(new URL(request.url, 'http://127.0.0.1').pathname).replace(/^\/+/, '') || 'index.html';
  try {
    const body = await readFile(join(outDir, path));
    response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
  } catch {
    response.writeHead(404).end();
  }
});
const origin = await new Promise((resolve) =>
  server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)),
);
const browser = await chromium.launch({ executablePath, args: ['--enable-unsafe-webgpu'] });
console.log(`chromium ${browser.version()} (${executablePath})`);
const failures = [];
try {
  for (const row of rows) {
    const since = performance.now();
    const page = await browser.newPage();
    const log = [];
    page.on('console', (message) => log.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => log.push(`pageerror: ${error.message}`));
    await page.goto(`${origin}/${ROWS[row]}`);
    await page.waitForSelector('body[data-result], body[data-error]', {
      state: 'attached',
      timeout: PAGE_TIMEOUT_MS,
    });
    const { result, error } = await page.evaluate(() => document.body.dataset);
    await page.close();
    if (error) {
      failures.push(`${row}: page failed: ${error}\n  ${log.join('\n  ')}`);
      continue;
    }
    const r = JSON.parse(result);
    console.log(
      `${row}: ${r.backend} on '${r.adapter}': ${r.cases} cases ${JSON.stringify(r.summary)}, ` +
        `${r.contractChecks} contract checks ${JSON.stringify(r.contractSummary)}, ` +
        `max |error| ${r.maxAbsError.toExponential(2)}, ${r.stats.submissions} submissions, ` +
        `${r.stats.dispatches} dispatches (${elapsed(since)})`,
    );
    if (r.failures.length > 0) failures.push(...r.failures.map((f) => `${row}: ${f}`));
    if (r.cases === 0) failures.push(`${row}: no case ran`);
  }
} finally {
  await browser.close();
  server.close();
  await rm(outDir, { recursive: true, force: true });
}
console.log(`total: ${elapsed(started)}`);
if (failures.length) {
  console.error(`FAILED:\n${failures.join('\n')}`);
  process.exit(1);
}
console.log('browser check passed');
