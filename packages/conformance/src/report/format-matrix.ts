import type { BackendComparison } from '../runner/compare-backends.js';
import type { ConformanceReport } from '../runner/report.js';
import { formatCounts, formatError, matrixRows, problemNotes } from './format-cells.js';

function table(header: string[], rows: string[][]): string {
  const width = (s: string) => [...s].length;
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(widths[i] - width(c)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The plain-text matrix (cases × backends), summaries, the cross-backend table and notes. */
export function formatMatrix(
  reports: readonly ConformanceReport[],
  comparison: BackendComparison,
  options: { notes?: boolean } = {},
): string {
  const names = reports.map((r) => r.backend);
  const parts = [
    table(
      ['case', ...names],
      matrixRows(reports).map((r) => [r.label, ...r.cells]),
    ),
  ];
  parts.push(
    [
      'Summary (cases; contract checks):',
      ...reports.map(
        (r) => `  ${r.backend}: ${formatCounts(r.summary)}; contract ${formatCounts(r.contractSummary)}`,
      ),
    ].join('\n'),
  );
  parts.push(
    [
      'Tolerance: |a − ref| ≤ abs + rel·|ref|',
      ...reports.map(
        (r) =>
          `  ${r.backend}: abs ${r.tolerance.abs.toExponential()}, rel ${r.tolerance.rel.toExponential()} (${r.tolerance.reason})`,
      ),
    ].join('\n'),
  );
  parts.push(
    `Cross-backend max |a − b| over cases:\n${table(
      ['', ...comparison.backends],
      comparison.backends.map((name, i) => [name, ...comparison.maxAbsDiff[i].map((v) => formatError(v))]),
    )}`,
  );
  if (options.notes !== false) {
    const notes = problemNotes(reports);
    if (notes.length > 0) parts.push(['Notes:', ...notes.map((n) => `  ${n}`)].join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}
