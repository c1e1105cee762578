import type { RowResult } from '../results.js';
import { columns, notPairedLines, ratioBase, rowCells, TEXT_COLUMNS } from './rows.js';

/** A plain-text table for the terminal, numbers right-aligned, then the rows not paired. */
export function textTable(results: readonly RowResult[]): string {
  const header = columns(results);
  const rows = results.map((r) => rowCells(results, r));
  const widths = header.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i < TEXT_COLUMNS ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  const table = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const unpaired = notPairedLines(results);
  if (unpaired.length > 0)
    table.push('', `not paired with ${ratioBase(results)}:`, ...unpaired.map((l) => `  ${l}`));
  return table.join('\n');
}
