import type { BackendComparison } from '../runner/compare-backends.js';
import type { ConformanceReport } from '../runner/report.js';
import {
  formatCaseCounts,
  formatCheckCounts,
  formatContractCounts,
  formatError,
  formatGradientCounts,
  markLegend,
  matrixRows,
  plural,
} from './format-cells.js';
import { failureBlocks, listSubjects, unsupportedGroups } from './format-problems.js';
import { REPORT_WIDTH, wrapLine, wrapText } from './wrap.js';

const width = (s: string) => [...s].length;
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

/** A plain-text table whose last column holds the long labels: it is not padded, and wraps
 * under itself where a row would pass 100 columns. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const last = header.length - 1;
  const lead = widths.slice(0, last).reduce((sum, w) => sum + w + 2, 0);
  // With very many backends there is no room left to wrap into: let the labels run on.
  const room = lead > REPORT_WIDTH - 24 ? Number.POSITIVE_INFINITY : REPORT_WIDTH;
  const line = (cells: string[]) => {
    const start = cells
      .slice(0, last)
      .map((c, i) => `${pad(c, widths[i])}  `)
      .join('');
    return wrapLine(cells[last] ?? '', start, ' '.repeat(lead), room).join('\n');
  };
  const rule = widths.map((w, i) => '-'.repeat(i === last ? Math.min(w, room - lead) : w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function summary(reports: readonly ConformanceReport[]): string {
  const nameWidth = Math.max(...reports.map((r) => width(r.backend)));
  const lines = ['Summary (unsupported is shown apart, never counted as a pass)'];
  for (const report of reports) {
    const indent = ' '.repeat(nameWidth + 4);
    const parts = [formatCaseCounts(report), formatCheckCounts(report)];
    if (report.gradients.length > 0) parts.push(formatGradientCounts(report));
    if (report.contract.length > 0) parts.push(formatContractCounts(report));
    parts.forEach((text, k) => {
      lines.push(
        ...wrapLine(text, k === 0 ? `  ${pad(report.backend, nameWidth)}  ` : indent, `${indent}  `),
      );
    });
  }
  return lines.join('\n');
}

/** One line per distinct tolerance, naming the backends that use it. */
function tolerances(reports: readonly ConformanceReport[]): string {
  const lines = ['Tolerance: |a − ref| ≤ abs + rel·|ref|'];
  const groups = new Map<string, string[]>();
  for (const r of reports) {
    const text = `abs ${r.tolerance.abs.toExponential()}, rel ${r.tolerance.rel.toExponential()} (${r.tolerance.reason})`;
    groups.set(text, [...(groups.get(text) ?? []), r.backend]);
  }
  for (const [text, backends] of groups)
    lines.push(...wrapLine(`${backends.join(', ')}: ${text}`, '  ', '    '));
  const withGradients = reports.filter((r) => r.gradients.length > 0 && r.capabilities.training);
  if (withGradients.length > 0) {
    lines.push('Gradient tolerance, per tensor: |a − ref| ≤ abs·max(1, max|ref|) + rel·|ref|');
    const gradientGroups = new Map<string, string[]>();
    for (const r of withGradients) {
      const t = r.gradientTolerance;
      const text = `abs ${t.abs.toExponential()}, rel ${t.rel.toExponential()} (${t.reason})`;
      gradientGroups.set(text, [...(gradientGroups.get(text) ?? []), r.backend]);
    }
    for (const [text, backends] of gradientGroups)
      lines.push(...wrapLine(`${backends.join(', ')}: ${text}`, '  ', '    '));
  }
  return lines.join('\n');
}

/** Unsupported cases and checks, grouped by reason. */
export function formatUnsupported(reports: readonly ConformanceReport[]): string[] {
  const groups = unsupportedGroups(reports);
  if (groups.length === 0) return [];
  const lines = ['Unsupported (the backend does not declare what these need)'];
  for (const g of groups) {
    const count = plural(g.subjects.length, g.kind);
    lines.push(...wrapText(`${g.backend}, ${count}: ${g.reason}`, '  ', '      '));
    lines.push(...wrapLine(listSubjects(g.subjects), '      ', '      '));
  }
  return lines;
}

/** Every failing or erroring case and contract check, each failing check with its problems. */
export function formatFailures(reports: readonly ConformanceReport[]): string[] {
  const blocks = failureBlocks(reports);
  if (blocks.length === 0) return [];
  const lines = ['Failures (every failing check; what was compared with what, and the worst element)'];
  for (const block of blocks) {
    lines.push(...wrapLine(`${block.backend} / ${block.subject}: ${block.status}`, '  ', '      '));
    for (const { label, text } of block.entries)
      lines.push(...wrapText(`${label}: ${text}`, '    ', '        '));
  }
  return lines;
}

/** The plain-text report: the matrix (cases × backends, then gradient cases, then contract
 * checks), summaries,
 * tolerances, the cross-backend table, then what is unsupported and every failure. Every line
 * but a matrix row with a very long case name fits in 100 columns. */
export function formatMatrix(
  reports: readonly ConformanceReport[],
  comparison: BackendComparison,
  options: { notes?: boolean } = {},
): string {
  const names = reports.map((r) => r.backend);
  const rows = matrixRows(reports);
  const parts: string[] = [];
  if (rows.cases.length > 0)
    parts.push(
      table(
        [...names, 'case'],
        rows.cases.map((r) => [...r.cells, r.label]),
      ),
    );
  const legend = markLegend(reports);
  if (legend.length > 0) parts.push(legend.flatMap((line) => wrapLine(line, '', '    ')).join('\n'));
  if (rows.gradients.length > 0)
    parts.push(
      table(
        [...names, 'gradient case (max |a − ref| over every gradient)'],
        rows.gradients.map((r) => [...r.cells, r.label]),
      ),
    );
  if (rows.contract.length > 0)
    parts.push(
      table(
        [...names, 'contract check'],
        rows.contract.map((r) => [...r.cells, r.label]),
      ),
    );
  parts.push(summary(reports));
  parts.push(tolerances(reports));
  parts.push(
    `Cross-backend max |a − b| over cases:\n${table(
      ['', ...comparison.backends],
      comparison.backends.map((name, i) => [name, ...comparison.maxAbsDiff[i].map((v) => formatError(v))]),
    )}`,
  );
  if (options.notes !== false) {
    const unsupported = formatUnsupported(reports);
    if (unsupported.length > 0) parts.push(unsupported.join('\n'));
    const failures = formatFailures(reports);
    if (failures.length > 0) parts.push(failures.join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}
