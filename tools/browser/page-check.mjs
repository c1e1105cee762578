// What the packages' headless-Chromium checks share: finding Chromium, serving a built test app
// from 127.0.0.1 (a secure context, as WebGPU needs), and running one page until it reports.
// A page sets body[data-result] (JSON) or body[data-error] when it is done.
import { access, mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Chromium's path ($CHROMIUM or Debian's /usr/bin/chromium); exits 1 with advice when absent. */
export async function chromiumPath() {
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  try {
    await access(executablePath);
  } catch {
    console.error(
      `check-browser: no Chromium at ${executablePath} (apt-get install -y chromium, or set CHROMIUM)`,
    );
    process.exit(1);
  }
  return executablePath;
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** The headers of cross-origin isolation (SharedArrayBuffer, hence wasm threads, need them). */
const ISOLATION = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

/** Serves `dir` on 127.0.0.1 at a free port: { origin, close }; `isolated` adds the headers of
 * cross-origin isolation. */
export async function serveDirectory(dir, { isolated = false } = {}) {
  const server = createServer(async (request, response) => {
    const path =
      normalize(new URL(request.url, 'http://127.0.0.1').pathname).replace(/^\/+/, '') || 'index.html';
    try {
      const body = await readFile(join(dir, path));
      const type = { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' };
      response.writeHead(200, isolated ? { ...type, ...ISOLATION } : type).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  const origin = await new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)),
  );
  return { origin, close: () => server.close() };
}

/** Opens `url` in a new page of `browser` and waits (at most `timeoutMs`, a hang bound) for its
 * report: { result } parsed from data-result, or { error, log } with the page's last console lines. */
export async function runReportingPage(browser, url, timeoutMs) {
  const page = await browser.newPage();
  const log = [];
  page.on('console', (message) => log.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => log.push(`pageerror: ${error.message}`));
  try {
    await page.goto(url);
    await page.waitForSelector('body[data-result], body[data-error]', {
      state: 'attached',
      timeout: timeoutMs,
    });
    const { result, error } = await page.evaluate(() => document.body.dataset);
    return error ? { error, log: log.slice(-20) } : { result: JSON.parse(result) };
  } finally {
    await page.close();
  }
}

export const elapsed = (since) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** The rows named by `--rows a,b` (default: all of `known`); exits 1 naming an unknown one. */
export function selectedRows(known) {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: known.join(',') } } });
  const rows = values.rows.split(',');
  for (const row of rows) {
    if (!known.includes(row)) {
      console.error(`check-browser: unknown row '${row}' (rows: ${known.join(', ')})`);
      process.exit(1);
    }
  }
  return rows;
}

/** Prints the total time and the failures; exits 1 when there are any. */
export function finishCheck(started, failures, passed = 'browser check passed') {
  console.log(`total: ${elapsed(started)}`);
  if (failures.length) {
    console.error(`FAILED:\n${failures.join('\n')}`);
    process.exit(1);
  }
  console.log(passed);
}

/** Builds a package's test app (`test-app/` beside the calling script's `scripts/` folder) with
 * the caller's Vite `build` into a fresh temporary folder, and returns that folder. */
export async function buildTestApp(build, scriptUrl, { name, logLevel = 'warn' }) {
  const started = performance.now();
  const outDir = await mkdtemp(join(tmpdir(), `gated-${name}-check-browser-`));
  await build({
    root: fileURLToPath(new URL('../test-app/', scriptUrl)),
    configFile: false,
    logLevel,
    build: { outDir, emptyOutDir: true },
  });
  console.log(`vite build: ${elapsed(started)}`);
  return outDir;
}
