import type { BenchReport, PairedRatio, RowResult } from '../results.js';
import type { RunSettings } from '../settings.js';

/** Every field of a result row in the --json file, in file order, with its meaning: the README's
 * "JSON" section is generated from these (typed, so a new field cannot go undocumented). */
export const RESULT_FIELDS: Readonly<Record<keyof RowResult, string>> = {
  name: "the row: a backend's name (`ts`, `wasm`, `wasm+relaxed`, `wasm@2t`, …) or an anchor's",
  kind: '`backend` or `anchor`',
  shape: '`S1` … `S4`',
  cell: '`lstm` or `gru`',
  medianMs: 'median time of one call (a forward, one S1 stream step, or with --train one training step), ms',
  minMs: 'fastest timed run, ms',
  maxMs: 'slowest timed run, ms',
  gflops: 'gate-GEMM FLOPs / median time, GFLOP/s (a training step counts 3 × the forward’s)',
  maxAbsDiff: "max |output − reference row's output| (training rows: the first step's forward output)",
  reference: 'the row the output was checked against',
  peakRssMb: 'process-wide peak RSS sampled around the runs (the child’s for child-process rows), MB',
  heapMb: 'peak V8 heap used, MB',
  runs: 'timed runs behind the median',
  cold: 'true when the only sample is a run without warm-up',
  isolated: 'ran in a child process of its own',
  measuredSteps: "steps run; below the shape's T the times are scaled by T / measuredSteps",
  build:
    "kernel build measured: `simd128` or `relaxed-simd` for backend-wasm's rows; null for rows with one build",
  work: "`{ submissions, dispatches }` of one call where the backend counts them (backend-webgpu's `stats`: one submission per forward, dispatches far below T·layers·directions on the persistent path); null elsewhere",
  training: 'true when the call timed is one training step (forward, backward, Adam update; --train)',
  losses:
    "training rows: `[loss of step 1, loss of step 2]`, the mean squared error before and after one Adam update (checked against the reference row's fall); null for forward rows",
  paired: 'the ratio to the anchor over alternated calls in one process (fields below); null when not paired',
  pairedNote:
    'why the row was not paired (cannot share the process, over the pair budget, …); null when paired',
};

export const PAIRED_FIELDS: Readonly<Record<keyof PairedRatio, string>> = {
  anchor: 'the other side of each pair: `ort-web@1t`, or `tfjs-layers@wasm` for training steps',
  pairs: 'pairs run (row, anchor, row, anchor, …), one ratio each',
  median: 'median of the per-pair ratios row time / anchor time',
  p10: '10th percentile of the per-pair ratios',
  p90: '90th percentile of the per-pair ratios',
  rowMedianMs: "the row's median over the pairs, ms",
  anchorMedianMs: "the anchor's median over the same pairs, ms",
};

export const SETTINGS_FIELDS: Readonly<Record<keyof RunSettings, string>> = {
  quick: 'run with --quick',
  train: 'run with --train (training steps)',
  repeats: 'timed runs asked per row',
  budgetMs: 'per-row time budget (slower rows get fewer runs), ms',
  stepsPerRun: 'S1 stream steps per timed run',
  pairs: 'pairs asked per row (0: none)',
  pairBudgetMs: 'rows whose pairs would take longer are not paired, ms',
};

/** The README's "JSON" section: the file's shape, then every row field. */
export function jsonFieldsMarkdown(): string {
  const table = (fields: Readonly<Record<string, string>>) => [
    '| field | meaning |',
    '| --- | --- |',
    ...Object.entries(fields).map(([k, v]) => `| \`${k}\` | ${v.replace(/\|/g, '\\|')} |`),
  ];
  return [
    '```',
    '{ machine: { cpu, cores, node, os, date }, quick, settings: { ... },',
    '  results: [ { <row fields>, paired: { <paired fields> } | null } ],',
    '  skipped: [ { name, shape, cell, reason } ] }',
    '```',
    '',
    'Row fields:',
    '',
    ...table(RESULT_FIELDS),
    '',
    '`paired` fields:',
    '',
    ...table(PAIRED_FIELDS),
    '',
    '`settings` fields:',
    '',
    ...table(SETTINGS_FIELDS),
  ].join('\n');
}

const round = (x: number, digits: number) => Number(x.toPrecision(digits));

function roundedPaired(p: PairedRatio): PairedRatio {
  return {
    anchor: p.anchor,
    pairs: p.pairs,
    median: round(p.median, 4),
    p10: round(p.p10, 4),
    p90: round(p.p90, 4),
    rowMedianMs: round(p.rowMedianMs, 6),
    anchorMedianMs: round(p.anchorMedianMs, 6),
  };
}

function jsonRow(r: RowResult): Record<keyof RowResult, unknown> {
  const rounded: Partial<Record<keyof RowResult, unknown>> = {
    medianMs: round(r.medianMs, 6),
    minMs: round(r.minMs, 6),
    maxMs: round(r.maxMs, 6),
    gflops: round(r.gflops, 4),
    peakRssMb: round(r.peakRssMb, 4),
    heapMb: round(r.heapMb, 4),
    paired: r.paired ? roundedPaired(r.paired) : null,
    losses: r.losses ? [round(r.losses[0], 7), round(r.losses[1], 7)] : null,
  };
  const keys = Object.keys(RESULT_FIELDS) as (keyof RowResult)[];
  return Object.fromEntries(keys.map((k) => [k, k in rounded ? rounded[k] : r[k]])) as Record<
    keyof RowResult,
    unknown
  >;
}

/** The --json file: { machine, quick, settings, results: [{ name, shape, cell, medianMs, ... }], skipped }. */
export function jsonReport(report: BenchReport): string {
  return `${JSON.stringify(
    {
      machine: report.machine,
      quick: report.quick,
      settings: report.settings,
      results: report.results.map(jsonRow),
      skipped: report.skipped,
    },
    null,
    2,
  )}\n`;
}

/** Reads a --json file back (for --from); files from before a field existed get its empty value. */
export function parseJsonReport(text: string): BenchReport {
  const parsed = JSON.parse(text) as Partial<BenchReport>;
  if (!parsed || !Array.isArray(parsed.results) || typeof parsed.machine !== 'object') {
    throw new Error('--from: expected a file written by --json ({ machine, results, ... })');
  }
  return {
    machine: parsed.machine,
    quick: parsed.quick ?? false,
    settings: parsed.settings ? { ...parsed.settings, train: parsed.settings.train ?? false } : null,
    results: parsed.results.map((r) => ({
      ...r,
      build: r.build ?? null,
      training: r.training ?? false,
      losses: r.losses ?? null,
      paired: r.paired ?? null,
      pairedNote: r.pairedNote ?? null,
    })),
    skipped: parsed.skipped ?? [],
  };
}
