import type { Capabilities } from '@gated/core';
import type { GradientTolerance, Tolerance } from '../tolerance.js';

export type CaseStatus = 'pass' | 'fail' | 'unsupported' | 'error';
/** 'n/a': the check does not apply to this case (e.g. streams of a bidirectional model) or
 * could not run (the forward did not complete). */
export type CheckStatus = CaseStatus | 'n/a';

/** The per-case checks, in the order they run and are shown. */
export const CHECK_NAMES = ['forward', 'gates', 'stream', 'determinism', 'dispose'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export interface CheckResult {
  readonly status: CheckStatus;
  readonly maxAbsError?: number;
  readonly maxUlp?: number;
  /** One line: every problem joined by '; ', or why the check is unsupported or did not run. */
  readonly message?: string;
  /** Every problem the check found (fail, error), one each; a problem may span lines: its
   * first line says what was compared against what, the next ones the worst element. */
  readonly problems?: readonly string[];
}

export interface CaseChecks {
  /** output, h, c against referenceForward */
  readonly forward: CheckResult;
  /** gate traces against the reference (cases that ask for gates) */
  readonly gates: CheckResult;
  /** T stream steps against the reference and against this backend's own forward; state()
   * and reset(state) */
  readonly stream: CheckResult;
  /** two forwards bit-identical */
  readonly determinism: CheckResult;
  /** forward and stream step after model.dispose() → DISPOSED */
  readonly dispose: CheckResult;
}

export interface CaseResult {
  readonly case: string;
  /** From the checks that ran: 'error' or 'fail' if one did; 'unsupported' when the case's
   * forward needs something the backend does not declare (and it threw UNSUPPORTED); else
   * 'pass', also when a check the backend declares it cannot do was unsupported. */
  readonly status: CaseStatus;
  readonly checks: CaseChecks;
  /** Checks that were unsupported in a case that ran (e.g. gates without 'returnGates'):
   * the case passed or failed on the others. */
  readonly unsupportedChecks: readonly CheckName[];
  /** Over output, h, c and gates; NaN when nothing was compared. */
  readonly maxAbsError: number;
  readonly maxUlp: number;
  /** Failing checks and their problems in one line, or why the case is unsupported. */
  readonly message?: string;
  readonly durationMs: number;
}

/** A backend-wide check of the API contract (errors on bad input and the like). */
export interface ContractResult {
  readonly name: string;
  readonly status: CaseStatus;
  readonly message?: string;
}

/** A backend's results, kept for the cross-backend comparison. */
/** One gradient case on one backend: a recorded forward and its backward against the float64
 * reference backward (or, for a case that expects it, recordForward refusing the model). */
export interface GradientResult {
  readonly kind: 'gradient';
  readonly case: string;
  /** 'unsupported' for every case on a backend whose capabilities.training is false, and for
   * a case needing what the backend does not declare (it threw UNSUPPORTED). */
  readonly status: CaseStatus;
  /** max |a − ref| over every gradient tensor; NaN when nothing was compared. */
  readonly maxAbsError: number;
  /** max over the gradient tensors of max |a − ref| / max(1, max |ref|): what the gradient
   * tolerance's `abs` bounds. NaN when nothing was compared. */
  readonly maxScaledError: number;
  /** Every problem in one line, or why the case is unsupported. */
  readonly message?: string;
  /** Every problem: what was compared with what, then the worst element. */
  readonly problems?: readonly string[];
  readonly durationMs: number;
}

export interface CaseOutputs {
  readonly output: Float32Array;
  readonly h: Float32Array;
  readonly c?: Float32Array;
}

export interface StatusCounts {
  pass: number;
  fail: number;
  unsupported: number;
  error: number;
}

/** Counts over cases. */
export interface CaseCounts extends StatusCounts {
  /** Of `pass`: cases that passed every check that ran while some check was unsupported. */
  passWithUnsupportedChecks: number;
}

/** Counts of one per-case check over the cases. */
export interface CheckCounts extends StatusCounts {
  'n/a': number;
}

export interface ConformanceReport {
  readonly backend: string;
  readonly capabilities: Capabilities;
  readonly tolerance: Tolerance;
  readonly cases: readonly CaseResult[];
  readonly contract: readonly ContractResult[];
  /** Counts over cases. */
  readonly summary: CaseCounts;
  /** Counts over the cases of each per-case check. */
  readonly checkSummary: Readonly<Record<CheckName, CheckCounts>>;
  /** Counts over contract checks. */
  readonly contractSummary: StatusCounts;
  /** The gradient cases (a recorded forward and its backward), 'unsupported' throughout for a
   * backend that does not train. */
  readonly gradients: readonly GradientResult[];
  readonly gradientTolerance: GradientTolerance;
  /** Counts over gradient cases. */
  readonly gradientSummary: StatusCounts;
  /** Case name → this backend's forward results (cases that ran). */
  readonly outputs: Readonly<Record<string, CaseOutputs>>;
}

export function countStatuses(results: readonly { status: CaseStatus }[]): StatusCounts {
  const counts: StatusCounts = { pass: 0, fail: 0, unsupported: 0, error: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

export function countCases(results: readonly CaseResult[]): CaseCounts {
  return {
    ...countStatuses(results),
    passWithUnsupportedChecks: results.filter((r) => r.status === 'pass' && r.unsupportedChecks.length > 0)
      .length,
  };
}

export function countChecks(results: readonly CaseResult[]): Record<CheckName, CheckCounts> {
  const counts = {} as Record<CheckName, CheckCounts>;
  for (const name of CHECK_NAMES) {
    const c: CheckCounts = { pass: 0, fail: 0, unsupported: 0, error: 0, 'n/a': 0 };
    for (const r of results) c[r.checks[name].status]++;
    counts[name] = c;
  }
  return counts;
}

/** True when the report has a failure or error (unsupported is not one). */
export function hasFailures(report: ConformanceReport): boolean {
  const { summary, contractSummary, gradientSummary } = report;
  return (
    summary.fail +
      summary.error +
      contractSummary.fail +
      contractSummary.error +
      gradientSummary.fail +
      gradientSummary.error >
    0
  );
}
