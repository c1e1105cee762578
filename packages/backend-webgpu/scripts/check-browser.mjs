// Runs the whole conformance catalogue on WebGPU in headless Chromium, the backend loaded the
// way an app bundled by Vite loads it. Run `pnpm build` first, and have Chromium at
// /usr/bin/chromium (Debian: `apt-get install -y chromium`, which also brings SwiftShader, the
// software Vulkan driver Chromium's WebGPU uses on machines without a GPU) or at $CHROMIUM.
//   pnpm --filter @gated/backend-webgpu check:browser [-- --rows default,per-step,f16]
// Builds test-app/ with Vite, serves it on 127.0.0.1 (WebGPU needs a secure context: localhost
// is one), starts Chromium with --enable-unsafe-webgpu and runs one page per row: the default
// options, the per-step path, f16 weights. Exits 1 when any case or contract check fails.
import { rm } from 'node:fs/promises';
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

const ROWS = {
  default: '',
  'per-step': '?recurrence=per-step',
  f16: '?weightFormat=f16',
};
const rows = selectedRows(Object.keys(ROWS));
/** A whole catalogue takes about a minute on SwiftShader; this only bounds a hang. */
const PAGE_TIMEOUT_MS = 10 * 60_000;

const executablePath = await chromiumPath();
const started = performance.now();

const outDir = await buildTestApp(build, import.meta.url, { name: 'webgpu' });

const server = await serveDirectory(outDir);
const browser = await chromium.launch({ executablePath, args: ['--enable-unsafe-webgpu'] });
console.log(`chromium ${browser.version()} (${executablePath})`);
const failures = [];
try {
  for (const row of rows) {
    const since = performance.now();
    const {
      result: r,
      error,
      log,
    } = await runReportingPage(browser, `${server.origin}/${ROWS[row]}`, PAGE_TIMEOUT_MS);
    if (error) {
      failures.push(`${row}: page failed: ${error}\n  ${log.join('\n  ')}`);
      continue;
    }
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
finishCheck(started, failures);
