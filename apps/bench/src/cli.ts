#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { allAnchors } from './anchors/index.js';
import { ArgsError, type BenchArgs, parseArgs, selectRows } from './args.js';
import { discoverBackends } from './backends.js';
import { type ChildJob, runChild } from './child.js';
import { usage } from './flags.js';
import { machineInfo } from './machine.js';
import { startProgress } from './progress-reporter.js';
import { jsonReport, parseJsonReport } from './report/json.js';
import { markdownReport } from './report/markdown.js';
import { svgChart } from './report/svg.js';
import { textTable } from './report/table.js';
import type { BenchReport } from './results.js';
import { runBench } from './runner.js';
import { shapeById } from './shapes.js';

const note = (line: string) => process.stderr.write(`${line}\n`);

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === '--child') {
    await runChild(JSON.parse(argv[1]) as ChildJob, argv[2]);
    return 0;
  }
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (args.from) {
    writeReports(parseJsonReport(readFileSync(args.from, 'utf8')), { ...args, json: null });
    return 0;
  }
  const train = args.settings.train;
  const subjects = selectRows([...(await discoverBackends(note)), ...allAnchors()], args.backends, train);
  const backends = subjects.filter((s) => s.kind === 'backend');
  if (subjects.length === 0) {
    note(`no rows selected (--backends ${args.backends?.join(',') ?? ''})`);
    return 1;
  }
  if (backends.length === 0)
    note('no gated backend selected or built: rows are checked against the first anchor instead');
  note(
    `${train ? 'training steps; ' : ''}rows: ${subjects.map((s) => s.name).join(', ')}; shapes: ${args.shapes.join(', ')}; cells: ${args.cells.join(', ')}`,
  );
  const progress = startProgress();
  const { results, skipped } = await runBench(
    args.shapes.map(shapeById),
    args.cells,
    subjects,
    args.settings,
    { progress: (state) => progress.update(state), note: (line) => progress.note(line) },
  ).finally(() => progress.close());
  for (const s of subjects) await s.dispose?.();
  writeReports(
    { machine: machineInfo(), quick: args.settings.quick, settings: args.settings, results, skipped },
    args,
  );
  return 0;
}

function writeReports(report: BenchReport, files: Pick<BenchArgs, 'json' | 'markdown' | 'svg'>): void {
  process.stdout.write(`${textTable(report.results)}\n`);
  if (files.json) writeFileSync(files.json, jsonReport(report));
  if (files.markdown) writeFileSync(files.markdown, markdownReport(report));
  if (files.svg) writeFileSync(files.svg, svgChart(report.results));
}

main(process.argv.slice(2)).then(
  // Exit explicitly: ort-web's worker threads would keep the process alive.
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ArgsError) {
      note(error.message);
      process.exit(2);
    }
    note(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
