import type { CaseResult, ConformanceReport, StatusCounts } from '../runner/report.js';

/** 3.1e-7 style; '—' for no value. */
export function formatError(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return 'inf';
  return value.toExponential(1);
}

/** One matrix cell: `✓ 3.1e-7`, `✗ 2.0e-3`, `unsupported`, `error`, or '' if the case did not run.
 * An unsupported case whose plain forward did run and pass says so: `unsupported (fwd ✓ 3.1e-7)`. */
export function formatCell(result: CaseResult | undefined): string {
  if (result === undefined) return '';
  switch (result.status) {
    case 'pass':
      return `✓ ${formatError(result.maxAbsError)}`;
    case 'fail':
      return `✗ ${formatError(result.maxAbsError)}`;
    case 'unsupported':
      return result.checks.forward.status === 'pass'
        ? `unsupported (fwd ✓ ${formatError(result.maxAbsError)})`
        : 'unsupported';
    default:
      return result.status;
  }
}

export function formatCounts(counts: StatusCounts): string {
  return `${counts.pass} pass, ${counts.fail} fail, ${counts.unsupported} unsupported, ${counts.error} error`;
}

/** Rows: every case any report ran, in first-seen order, then every contract check. */
export function matrixRows(reports: readonly ConformanceReport[]): { label: string; cells: string[] }[] {
  const caseNames = [...new Set(reports.flatMap((r) => r.cases.map((c) => c.case)))];
  const contractNames = [...new Set(reports.flatMap((r) => r.contract.map((c) => c.name)))];
  const rows = caseNames.map((name) => ({
    label: name,
    cells: reports.map((r) => formatCell(r.cases.find((c) => c.case === name))),
  }));
  for (const name of contractNames) {
    rows.push({
      label: `contract: ${name}`,
      cells: reports.map((r) => {
        const result = r.contract.find((c) => c.name === name);
        if (result === undefined) return '';
        return result.status === 'pass' ? '✓' : result.status === 'fail' ? '✗' : result.status;
      }),
    });
  }
  return rows;
}

/** Each failing, erroring or unsupported result with its message, for the notes under a table. */
export function problemNotes(reports: readonly ConformanceReport[]): string[] {
  const notes: string[] = [];
  for (const report of reports) {
    for (const r of [...report.cases.map((c) => ({ name: c.case, ...c })), ...report.contract]) {
      if (r.status !== 'pass')
        notes.push(`${report.backend} / ${r.name}: ${r.status}${r.message ? ` — ${r.message}` : ''}`);
    }
  }
  return notes;
}
