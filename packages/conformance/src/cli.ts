#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Backend } from '@gated/core';
import { discoverWorkspaceBackends } from './cli/discover-workspace.js';
import { factoryOf, loadBackend } from './cli/load-backend.js';
import { createReferenceBackend } from './reference/reference-backend.js';
import { formatMarkdown } from './report/format-markdown.js';
import { formatMatrix } from './report/format-matrix.js';
import { reportsToJson } from './report/report-json.js';
import { compareBackends } from './runner/compare-backends.js';
import { type ConformanceReport, hasFailures } from './runner/report.js';
import { runConformance } from './runner/run-conformance.js';

const USAGE = `usage: gated-conformance [--backend <package-or-path>[#export]]... [--workspace <dir>]
                         [--json file] [--markdown file] [--cases substring] [--quiet]
Runs the conformance suite on each backend (and always on 'reference') and prints the matrix.
Exit code 1 when a backend fails a case or contract check it did not declare unsupported.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', multiple: true },
      workspace: { type: 'string' },
      json: { type: 'string' },
      markdown: { type: 'string' },
      cases: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  const cwd = process.cwd();
  const backends: Backend[] = [];
  for (const spec of values.backend ?? []) backends.push(await loadBackend(spec, cwd));
  if (values.workspace !== undefined)
    backends.push(...(await discoverWorkspaceBackends(resolve(cwd, values.workspace), warn)));
  if (!backends.some((b) => b.name === 'reference')) backends.unshift(createReferenceBackend());

  const substring = values.cases;
  const reports: ConformanceReport[] = [];
  for (const backend of backends) {
    const started = performance.now();
    if (!values.quiet) warn(`gated-conformance: running ${backend.name}…`);
    reports.push(
      await runConformance(backend, {
        createBackend: backend.name === 'reference' ? createReferenceBackend : factoryOf(backend),
        ...(substring === undefined ? {} : { cases: (c) => c.name.includes(substring) }),
        onProgress: ({ result }) => {
          if (!values.quiet && result.status !== 'pass') {
            warn(
              `  ${'case' in result ? result.case : result.name}: ${result.status}${result.message ? ` — ${result.message}` : ''}`,
            );
          }
        },
      }),
    );
    backend.dispose();
    if (!values.quiet)
      warn(
        `gated-conformance: ${backend.name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
  }

  const comparison = compareBackends(reports);
  process.stdout.write(formatMatrix(reports, comparison, { notes: false }));
  if (values.json !== undefined) writeFileSync(resolve(cwd, values.json), reportsToJson(reports, comparison));
  if (values.markdown !== undefined)
    writeFileSync(resolve(cwd, values.markdown), formatMarkdown(reports, comparison));
  return reports.some(hasFailures) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `gated-conformance: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`,
    );
    process.exitCode = 2;
  },
);
