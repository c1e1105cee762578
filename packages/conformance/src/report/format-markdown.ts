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

const escapePipes = (s: string) => s.replace(/\|/g, '\\|');
const row = (cells: string[]) => `| ${cells.map(escapePipes).join(' | ')} |`;
const table = (header: string[], rows: string[][]) =>
  [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
const oneLine = (text: string) => text.replace(/\n/g, ' — ');

/** The same content as formatMatrix, as Markdown. */
export function formatMarkdown(reports: readonly ConformanceReport[], comparison: BackendComparison): string {
  const names = reports.map((r) => r.backend);
  const rows = matrixRows(reports);
  const sections = ['# gated conformance'];
  if (rows.cases.length > 0)
    sections.push(
      table(
        ['case', ...names],
        rows.cases.map((r) => [r.label, ...r.cells]),
      ),
    );
  const legend = markLegend(reports);
  if (legend.length > 0) sections.push(legend.map((line) => `- ${line}`).join('\n'));
  if (rows.gradients.length > 0)
    sections.push(
      '## Gradients (max |a − ref| over every gradient of the case)',
      table(
        ['gradient case', ...names],
        rows.gradients.map((r) => [r.label, ...r.cells]),
      ),
    );
  if (rows.contract.length > 0)
    sections.push(
      table(
        ['contract check', ...names],
        rows.contract.map((r) => [r.label, ...r.cells]),
      ),
    );
  sections.push(
    '## Summary',
    table(
      [
        'backend',
        'cases',
        'per-case checks',
        'gradient cases',
        'contract checks',
        'tolerance',
        'gradient tolerance',
      ],
      reports.map((r) => [
        r.backend,
        formatCaseCounts(r),
        formatCheckCounts(r),
        r.gradients.length > 0 ? formatGradientCounts(r) : '—',
        r.contract.length > 0 ? formatContractCounts(r) : '—',
        `abs ${r.tolerance.abs.toExponential()}, rel ${r.tolerance.rel.toExponential()} (${r.tolerance.reason})`,
        `abs ${r.gradientTolerance.abs.toExponential()}·max(1, max|ref|), rel ${r.gradientTolerance.rel.toExponential()} (${r.gradientTolerance.reason})`,
      ]),
    ),
    '## Cross-backend max |a − b| over cases',
    table(
      ['', ...comparison.backends],
      comparison.backends.map((name, i) => [name, ...comparison.maxAbsDiff[i].map((v) => formatError(v))]),
    ),
  );
  const groups = unsupportedGroups(reports);
  if (groups.length > 0) {
    sections.push(
      '## Unsupported',
      groups
        .map((g) => {
          const count = plural(g.subjects.length, g.kind);
          return `- ${g.backend}, ${count}: ${oneLine(g.reason)}\n  (${listSubjects(g.subjects)})`;
        })
        .join('\n'),
    );
  }
  const blocks = failureBlocks(reports);
  if (blocks.length > 0) {
    sections.push(
      '## Failures',
      blocks
        .map((b) =>
          [
            `- **${b.backend} / ${b.subject}**: ${b.status}`,
            ...b.entries.map((e) => `  - ${e.label}: ${oneLine(e.text)}`),
          ].join('\n'),
        )
        .join('\n'),
    );
  }
  return `${sections.join('\n\n')}\n`;
}
