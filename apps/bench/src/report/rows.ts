import { baselineMs, type RowResult } from '../results.js';
import { PAIR_ANCHOR, TRAIN_PAIR_ANCHOR } from '../settings.js';
import { shapeById } from '../shapes.js';
import { formatDiff, formatGflops, formatLosses, formatMs, formatPaired, formatRatio } from './format.js';

/** The anchor every ratio of a report is taken against: ort-web@1t, or tfjs-layers@wasm for
 * training steps (--train). */
export function ratioBase(results: readonly RowResult[]): string {
  return results.some((r) => r.training) ? TRAIN_PAIR_ANCHOR : PAIR_ANCHOR;
}

/** The table's columns; training reports add the loss of the first two steps. */
export function columns(results: readonly RowResult[]): string[] {
  const base = ratioBase(results);
  const all = COLUMNS.map((c) => c.replace(PAIR_ANCHOR, base));
  return results.some((r) => r.losses) ? [...all, LOSS_COLUMN] : all;
}

export const LOSS_COLUMN = 'loss step 1 → 2';

/** The columns of a forward report. */
export const COLUMNS = [
  'shape',
  'cell',
  'row',
  'build',
  'median ms',
  'min ms',
  'max ms',
  'runs',
  'GFLOP/s',
  `medians vs ${PAIR_ANCHOR}`,
  `paired vs ${PAIR_ANCHOR} [p10–p90]`,
  'pairs',
  'submits / dispatches',
  'max |Δ|',
  'peak RSS MB',
  'heap MB',
];

/** Columns of text (left-aligned); the rest are numbers. */
export const TEXT_COLUMNS = 4;

/** The cells of one result row, as text, shared by the terminal and markdown tables. */
export function rowCells(results: readonly RowResult[], row: RowResult): string[] {
  const base = ratioBase(results);
  const cells = [
    row.shape,
    row.cell,
    row.name,
    row.build ?? '–',
    formatMs(row.medianMs),
    formatMs(row.minMs),
    formatMs(row.maxMs),
    runsCell(row),
    formatGflops(row.gflops),
    formatRatio(row.medianMs, baselineMs(results, row, base)),
    row.name === base ? 'anchor' : formatPaired(row.paired),
    row.paired ? String(row.paired.pairs) : '–',
    row.work ? `${row.work.submissions} / ${row.work.dispatches}` : '–',
    formatDiff(row.maxAbsDiff, row.reference === row.name),
    row.peakRssMb.toFixed(0),
    row.heapMb.toFixed(0),
  ];
  return results.some((r) => r.losses) ? [...cells, formatLosses(row.losses)] : cells;
}

/** "7", or "1 cold" without warm-up, or "3 T=20" when only the first 20 steps ran (time scaled). */
function runsCell(row: RowResult): string {
  const steps = shapeById(row.shape).steps;
  return [
    String(row.runs),
    row.cold ? 'cold' : '',
    row.measuredSteps !== steps ? `T=${row.measuredSteps}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** Rows without a paired ratio and why, one line per row name and reason:
 * "ort-web@2t (S1 lstm, S2 gru): onnxruntime-web fixes …". */
export function notPairedLines(results: readonly RowResult[]): string[] {
  const base = ratioBase(results);
  const byReason = new Map<string, string[]>();
  for (const row of results) {
    if (row.paired || row.name === base || !row.pairedNote) continue;
    const key = `${row.name}\u0000${row.pairedNote}`;
    byReason.set(key, [...(byReason.get(key) ?? []), `${row.shape} ${row.cell}`]);
  }
  return [...byReason].map(([key, groups]) => {
    const [name, reason] = key.split('\u0000');
    return `${name} (${groups.join(', ')}): ${reason}`;
  });
}

/** "wasm: simd128; wasm+relaxed: relaxed-simd": the build each row name measured. */
export function buildSummary(results: readonly RowResult[]): string | null {
  const builds = new Map<string, Set<string>>();
  for (const r of results) if (r.build) builds.set(r.name, (builds.get(r.name) ?? new Set()).add(r.build));
  if (builds.size === 0) return null;
  return [...builds].map(([name, set]) => `${name}: ${[...set].join(', ')}`).join('; ');
}
