import { formatError } from '../runner/mismatch.js';
import {
  type CaseCounts,
  type CaseResult,
  CHECK_NAMES,
  type CheckCounts,
  type CheckName,
  type ConformanceReport,
  type ContractResult,
  type GradientResult,
  type StatusCounts,
} from '../runner/report.js';

export { formatError };

/** The mark a matrix cell gets for a check that was unsupported in a case that ran. */
export const UNSUPPORTED_CHECK_MARKS: Readonly<Record<CheckName, string>> = {
  forward: '−f',
  gates: '−g',
  stream: '−s',
  determinism: '−d',
  dispose: '−x',
};

/** One matrix cell: `✓ 3.1e-7`, `✓ 3.1e-7 −g` (passed every check that ran; gates
 * unsupported), `✗ 2.0e-3` (forward or gates failed), `✗ stream` (only other checks failed),
 * `unsupported`, `error`, or '' if the case did not run. */
export function formatCell(result: CaseResult | undefined): string {
  if (result === undefined) return '';
  const marks = result.unsupportedChecks.map((name) => ` ${UNSUPPORTED_CHECK_MARKS[name]}`).join('');
  switch (result.status) {
    case 'pass':
      return `✓ ${formatError(result.maxAbsError)}${marks}`;
    case 'fail': {
      const { forward, gates } = result.checks;
      if (forward.status === 'fail' || gates.status === 'fail')
        return `✗ ${formatError(result.maxAbsError)}${marks}`;
      return `✗ ${CHECK_NAMES.filter((name) => result.checks[name].status === 'fail').join(',')}${marks}`;
    }
    default:
      return result.status;
  }
}

export function formatContractCell(result: ContractResult | undefined): string {
  if (result === undefined) return '';
  return result.status === 'pass' ? '✓' : result.status === 'fail' ? '✗' : result.status;
}

/** One gradient matrix cell: `✓ 2.1e-7` (max |a − ref| over the gradients), `✓ refused` (a
 * case that expects recordForward to refuse the model), `✗ 3.0e-2`, `✗` (no value compared),
 * `unsupported`, `error`, or '' if the case did not run. */
export function formatGradientCell(result: GradientResult | undefined): string {
  if (result === undefined) return '';
  const error = Number.isNaN(result.maxAbsError) ? null : formatError(result.maxAbsError);
  switch (result.status) {
    case 'pass':
      return error === null ? '✓ refused' : `✓ ${error}`;
    case 'fail':
      return error === null ? '✗' : `✗ ${error}`;
    default:
      return result.status;
  }
}

/** "1 case", "3 cases" */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatCounts(counts: StatusCounts): string {
  return `${counts.pass} pass, ${counts.fail} fail, ${counts.unsupported} unsupported, ${counts.error} error`;
}

/** Which checks were unsupported in cases that ran, e.g. "gates 39, stream 2". */
function unsupportedChecksIn(report: ConformanceReport): string {
  return CHECK_NAMES.flatMap((name) => {
    const n = report.cases.filter(
      (c) => c.status !== 'unsupported' && c.checks[name].status === 'unsupported',
    ).length;
    return n > 0 ? [`${name} ${n}`] : [];
  }).join(', ');
}

/** "71 cases: 57 pass, 0 fail, 14 unsupported, 0 error; 39 of the passes with a check
 * unsupported (gates 39)". */
export function formatCaseCounts(report: ConformanceReport): string {
  const counts: CaseCounts = report.summary;
  const total = counts.pass + counts.fail + counts.unsupported + counts.error;
  const gaps = unsupportedChecksIn(report);
  const partial =
    counts.passWithUnsupportedChecks > 0
      ? `; ${counts.passWithUnsupportedChecks} of the passes with a check unsupported (${gaps})`
      : '';
  return `${plural(total, 'case')}: ${formatCounts(counts)}${partial}`;
}

/** Every per-case check over every case: "262 per-case checks: 248 pass, …, 65 not applicable", then
 * which checks were not passes ("unsupported: gates 39; fail: stream 3"). */
export function formatCheckCounts(report: ConformanceReport): string {
  const summary = report.checkSummary;
  const total: CheckCounts = { pass: 0, fail: 0, unsupported: 0, error: 0, 'n/a': 0 };
  for (const name of CHECK_NAMES)
    for (const key of Object.keys(total) as (keyof CheckCounts)[]) total[key] += summary[name][key];
  const ran = total.pass + total.fail + total.unsupported + total.error;
  const which = (['fail', 'error', 'unsupported'] as const).flatMap((status) => {
    const names = CHECK_NAMES.filter((name) => summary[name][status] > 0).map(
      (name) => `${name} ${summary[name][status]}`,
    );
    return names.length > 0 ? [`${status}: ${names.join(', ')}`] : [];
  });
  return `${plural(ran, 'per-case check')}: ${formatCounts(total)} (${total['n/a']} not applicable)${which.length > 0 ? `; ${which.join('; ')}` : ''}`;
}

/** "37 gradient cases: 37 pass, 0 fail, 0 unsupported, 0 error; max error 4.1e-6 of the
 * tensor's scale" (the scale is max(1, max|ref|) of each gradient tensor). */
export function formatGradientCounts(report: ConformanceReport): string {
  const c = report.gradientSummary;
  const total = c.pass + c.fail + c.unsupported + c.error;
  const scaled = report.gradients.map((g) => g.maxScaledError).filter((v) => !Number.isNaN(v));
  const worst =
    scaled.length > 0 ? `; max error ${formatError(Math.max(...scaled))} of the tensor's scale` : '';
  return `${plural(total, 'gradient case')}: ${formatCounts(c)}${worst}`;
}

export function formatContractCounts(report: ConformanceReport): string {
  const c = report.contractSummary;
  return `${plural(c.pass + c.fail + c.unsupported + c.error, 'contract check')}: ${formatCounts(c)}`;
}

/** Case rows, gradient case rows and contract rows of the matrix, one cell per report. */
export function matrixRows(reports: readonly ConformanceReport[]): {
  cases: { label: string; cells: string[] }[];
  gradients: { label: string; cells: string[] }[];
  contract: { label: string; cells: string[] }[];
} {
  const caseNames = [...new Set(reports.flatMap((r) => r.cases.map((c) => c.case)))];
  const gradientNames = [...new Set(reports.flatMap((r) => r.gradients.map((g) => g.case)))];
  const contractNames = [...new Set(reports.flatMap((r) => r.contract.map((c) => c.name)))];
  return {
    cases: caseNames.map((name) => ({
      label: name,
      cells: reports.map((r) => formatCell(r.cases.find((c) => c.case === name))),
    })),
    gradients: gradientNames.map((name) => ({
      label: name,
      cells: reports.map((r) => formatGradientCell(r.gradients.find((g) => g.case === name))),
    })),
    contract: contractNames.map((name) => ({
      label: name,
      cells: reports.map((r) => formatContractCell(r.contract.find((c) => c.name === name))),
    })),
  };
}

/** What the marks used in the matrix mean, one line each. */
export function markLegend(reports: readonly ConformanceReport[]): string[] {
  const used = CHECK_NAMES.filter((name) =>
    reports.some((r) => r.cases.some((c) => c.unsupportedChecks.includes(name))),
  );
  return used.map(
    (name) =>
      `${UNSUPPORTED_CHECK_MARKS[name]}: the ${name} check is unsupported (the backend does not declare what it needs); the case passed or failed on the checks that ran`,
  );
}
