import { type CaseStatus, CHECK_NAMES, type CheckResult, type ConformanceReport } from '../runner/report.js';

/** Problems shown per check; the rest are counted (every one is in the JSON report). */
export const MAX_PROBLEMS_SHOWN = 8;

/** One thing to fix: a case or contract check of one backend that failed or errored, with
 * every failing check and its problems. */
export interface FailureBlock {
  readonly backend: string;
  /** The case name, 'gradients: <case name>' or 'contract: <check name>'. */
  readonly subject: string;
  readonly status: CaseStatus;
  /** `label: text`, where text may span lines (what vs what, then the worst element). */
  readonly entries: readonly { readonly label: string; readonly text: string }[];
}

function problemsOf(check: CheckResult): string[] {
  const problems = check.problems ?? [check.message ?? check.status];
  if (problems.length <= MAX_PROBLEMS_SHOWN) return [...problems];
  return [
    ...problems.slice(0, MAX_PROBLEMS_SHOWN),
    `… and ${problems.length - MAX_PROBLEMS_SHOWN} more problems in this check (all in the JSON report)`,
  ];
}

/** Every failing or erroring case and contract check, each failing check listed. */
export function failureBlocks(reports: readonly ConformanceReport[]): FailureBlock[] {
  const blocks: FailureBlock[] = [];
  for (const report of reports) {
    for (const result of report.cases) {
      if (result.status !== 'fail' && result.status !== 'error') continue;
      const entries: { label: string; text: string }[] = [];
      for (const name of CHECK_NAMES) {
        const check = result.checks[name];
        if (check.status === 'fail' || check.status === 'error') {
          for (const text of problemsOf(check))
            entries.push({ label: check.status === 'error' ? `${name} (error)` : name, text });
        }
      }
      const notRun = CHECK_NAMES.filter(
        (name) => result.checks[name].status === 'n/a' && result.checks[name].message?.startsWith('not run'),
      );
      if (notRun.length > 0)
        entries.push({ label: 'not run', text: `${notRun.join(', ')} (the forward did not complete)` });
      blocks.push({ backend: report.backend, subject: result.case, status: result.status, entries });
    }
    for (const result of report.gradients) {
      if (result.status !== 'fail' && result.status !== 'error') continue;
      const label = result.status === 'error' ? 'error' : 'gradients';
      const problems = result.problems ?? [result.message ?? result.status];
      const shown =
        problems.length <= MAX_PROBLEMS_SHOWN
          ? problems
          : [
              ...problems.slice(0, MAX_PROBLEMS_SHOWN),
              `… and ${problems.length - MAX_PROBLEMS_SHOWN} more problems in this case (all in the JSON report)`,
            ];
      blocks.push({
        backend: report.backend,
        subject: `gradients: ${result.case}`,
        status: result.status,
        entries: shown.map((text) => ({ label, text })),
      });
    }
    for (const result of report.contract) {
      if (result.status !== 'fail' && result.status !== 'error') continue;
      blocks.push({
        backend: report.backend,
        subject: `contract: ${result.name}`,
        status: result.status,
        entries: [{ label: result.status, text: result.message ?? '' }],
      });
    }
  }
  return blocks;
}

/** Unsupported results of one backend that share a reason. */
export interface UnsupportedGroup {
  readonly backend: string;
  /** 'case', 'gates check', 'gradient case', 'contract check', … */
  readonly kind: string;
  readonly reason: string;
  /** Case or contract check names. */
  readonly subjects: readonly string[];
}

/** Unsupported cases, unsupported checks within cases that ran, unsupported gradient cases and
 * unsupported contract checks, grouped by backend, kind and reason. */
export function unsupportedGroups(reports: readonly ConformanceReport[]): UnsupportedGroup[] {
  const groups = new Map<string, { backend: string; kind: string; reason: string; subjects: string[] }>();
  const add = (backend: string, kind: string, reason: string, subject: string) => {
    const key = JSON.stringify([backend, kind, reason]);
    const group = groups.get(key) ?? { backend, kind, reason, subjects: [] };
    group.subjects.push(subject);
    groups.set(key, group);
  };
  for (const report of reports) {
    for (const result of report.cases) {
      if (result.status === 'unsupported') add(report.backend, 'case', result.message ?? '', result.case);
      for (const name of result.unsupportedChecks)
        add(report.backend, `${name} check`, result.checks[name].message ?? '', result.case);
    }
    for (const result of report.gradients) {
      if (result.status === 'unsupported')
        add(report.backend, 'gradient case', result.message ?? '', result.case);
    }
    for (const result of report.contract) {
      if (result.status === 'unsupported')
        add(report.backend, 'contract check', result.message ?? '', result.name);
    }
  }
  return [...groups.values()];
}

/** "lstm basic, gru basic, … and 33 more" */
export function listSubjects(subjects: readonly string[], shown = 6): string {
  if (subjects.length <= shown + 1) return subjects.join(', ');
  return `${subjects.slice(0, shown).join(', ')} and ${subjects.length - shown} more`;
}
