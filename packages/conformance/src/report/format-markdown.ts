import type { BackendComparison } from '../runner/compare-backends.js';
import type { ConformanceReport } from '../runner/report.js';
import { formatCounts, formatError, matrixRows, problemNotes } from './format-cells.js';

const escapePipes = (s: string) => s.replace(/\|/g, '\\|');
const row = (cells: string[]) => `| ${cells.map(escapePipes).join(' | ')} |`;
const table = (header: string[], rows: string[][]) =>
  [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');

/** The same content as formatMatrix, as Markdown tables. */
export function formatMarkdown(reports: readonly ConformanceReport[], comparison: BackendComparison): string {
  const names = reports.map((r) => r.backend);
  const sections = [
    '# gated conformance',
    table(
      ['case', ...names],
      matrixRows(reports).map((r) => [r.label, ...r.cells]),
    ),
    '## Summary',
    table(
      ['backend', 'cases', 'contract checks', 'tolerance'],
      reports.map((r) => [
        r.backend,
        formatCounts(r.summary),
        formatCounts(r.contractSummary),
        `abs ${r.tolerance.abs.toExponential()}, rel ${r.tolerance.rel.toExponential()} (${r.tolerance.reason})`,
      ]),
    ),
    '## Cross-backend max |a − b| over cases',
    table(
      ['', ...comparison.backends],
      comparison.backends.map((name, i) => [name, ...comparison.maxAbsDiff[i].map((v) => formatError(v))]),
    ),
  ];
  const notes = problemNotes(reports);
  if (notes.length > 0) sections.push('## Notes', notes.map((n) => `- ${n}`).join('\n'));
  return `${sections.join('\n\n')}\n`;
}
