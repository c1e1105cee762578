import type { RowResult } from '../results.js';
import { COLUMNS, rowCells } from './rows.js';

/** A plain-text table for the terminal, numbers right-aligned. */
export function textTable(results: readonly RowResult[]): string {
  const rows = results.map((r) => rowCells(results, r));
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const textColumns = 3;
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i < textColumns ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(COLUMNS), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
