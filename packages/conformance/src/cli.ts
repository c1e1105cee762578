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
import { wrapLine } from './report/wrap.js';
import { compareBackends } from './runner/compare-backends.js';
import { CHECK_NAMES, type ConformanceReport, hasFailures } from './runner/report.js';
import { runConformance } from './runner/run-conformance.js';

const USAGE = `usage: gated-conformance [--backend <package-or-path>[#export]]... [--workspace <dir>]
                         [--json file] [--markdown file] [--cases substring] [--quiet]
Runs the conformance suite on each backend (and always on 'reference') and prints the matrix,
what each backend does not support, and every failing check.
  --backend    a package (resolved from here) or a path; calls the named export, or the one
               export named create…Backend
  --workspace  every built <dir>/packages/backend-*: each backend its package.json declares
               (gated.backends: name and options), else its factory without options
  --cases      only cases whose name contains the substring
  --quiet      no progress on stderr (the report on stdout is the same)
Exit code 1 when a backend fails a case or contract check it did not declare unsupported.`;

const HOW_TO_NAME_A_BACKEND =
  'Name a backend with --backend <package-or-path>[#export] (e.g. --backend @gated/backend-wasm), ' +
  'or --workspace <dir> for every built packages/backend-* (see --help).';

const ONLY_REFERENCE =
  'no backend given or found, so only the reference backend runs: the float64 reference kernels ' +
  "behind core's orchestration, checked against the independent float64 oracle.";

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
  const warn = (line: string) => process.stderr.write(`${wrapLine(line, '', '    ').join('\n')}\n`);
  const progress = (line: string) => {
    if (!values.quiet) warn(line);
  };
  const cwd = process.cwd();
  const backends: Backend[] = [];
  for (const spec of values.backend ?? []) backends.push(await loadBackend(spec, cwd));
  if (values.workspace !== undefined)
    backends.push(...(await discoverWorkspaceBackends(resolve(cwd, values.workspace), warn)));
  const onlyReference = backends.every((b) => b.name === 'reference');
  if (onlyReference) warn(`gated-conformance: ${ONLY_REFERENCE} ${HOW_TO_NAME_A_BACKEND}`);
  if (!backends.some((b) => b.name === 'reference')) backends.unshift(createReferenceBackend());

  const substring = values.cases;
  const reports: ConformanceReport[] = [];
  for (const backend of backends) {
    const started = performance.now();
    progress(`gated-conformance: running ${backend.name}…`);
    const report = await runConformance(backend, {
      createBackend: backend.name === 'reference' ? createReferenceBackend : factoryOf(backend),
      ...(substring === undefined
        ? {}
        : { cases: (c) => c.name.includes(substring), gradientCases: (c) => c.name.includes(substring) }),
      onProgress: ({ result }) => {
        if (result.status !== 'fail' && result.status !== 'error') return;
        if ('kind' in result) progress(`  ✗ gradients: ${result.case}: ${result.status}`);
        else if ('checks' in result) {
          const failing = CHECK_NAMES.filter((name) =>
            ['fail', 'error'].includes(result.checks[name].status),
          );
          progress(`  ✗ ${result.case}: ${result.status} in ${failing.join(', ')}`);
        } else progress(`  ✗ contract: ${result.name}: ${result.status}`);
      },
    });
    reports.push(report);
    backend.dispose();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    progress(`gated-conformance: ${backend.name} done in ${seconds} s`);
  }

  const comparison = compareBackends(reports);
  process.stdout.write(formatMatrix(reports, comparison));
  if (onlyReference) {
    const note = `Only the reference backend ran, as a self-check. ${HOW_TO_NAME_A_BACKEND}`;
    process.stdout.write(`\n${wrapLine(note, '', '').join('\n')}\n`);
  }
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
