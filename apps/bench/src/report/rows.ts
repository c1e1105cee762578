import { baselineMs, type RowResult } from '../results.js';
import { shapeById } from '../shapes.js';
import { formatDiff, formatGflops, formatMs, formatRatio } from './format.js';

/** The anchor every ratio is taken against. */
export const RATIO_BASE = 'ort-web@1t';

export const COLUMNS = [
  'shape',
  'cell',
  'row',
  'median ms',
  'min ms',
  'max ms',
  'runs',
  'GFLOP/s',
  `vs ${RATIO_BASE}`,
  'max |Δ|',
  'peak RSS MB',
  'heap MB',
];

/** The cells of one result row, as text, shared by the terminal and markdown tables. */
export function rowCells(results: readonly RowResult[], row: RowResult): string[] {
  return [
    row.shape,
    row.cell,
    row.name,
    formatMs(row.medianMs),
    formatMs(row.minMs),
    formatMs(row.maxMs),
    runsCell(row),
    formatGflops(row.gflops),
    formatRatio(row.medianMs, baselineMs(results, row, RATIO_BASE)),
    formatDiff(row.maxAbsDiff, row.reference === row.name),
    row.peakRssMb.toFixed(0),
    row.heapMb.toFixed(0),
  ];
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
