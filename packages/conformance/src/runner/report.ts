import type { Capabilities } from '@gated/core';
import type { Tolerance } from '../tolerance.js';

export type CaseStatus = 'pass' | 'fail' | 'unsupported' | 'error';
/** 'n/a': the check does not apply to this case (e.g. streams of a bidirectional model). */
export type CheckStatus = CaseStatus | 'n/a';

export interface CheckResult {
  readonly status: CheckStatus;
  readonly maxAbsError?: number;
  readonly maxUlp?: number;
  readonly message?: string;
}

export interface CaseChecks {
  /** output, h, c against referenceForward */
  readonly forward: CheckResult;
  /** gate traces against the reference (cases that ask for gates) */
  readonly gates: CheckResult;
  /** N stream steps against one forward, state() and reset(state) */
  readonly stream: CheckResult;
  /** two forwards bit-identical */
  readonly determinism: CheckResult;
  /** forward and stream step after model.dispose() → DISPOSED */
  readonly dispose: CheckResult;
}

export interface CaseResult {
  readonly case: string;
  readonly status: CaseStatus;
  readonly checks: CaseChecks;
  /** Over output, h, c and gates; NaN when nothing was compared. */
  readonly maxAbsError: number;
  readonly maxUlp: number;
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

export interface ConformanceReport {
  readonly backend: string;
  readonly capabilities: Capabilities;
  readonly tolerance: Tolerance;
  readonly cases: readonly CaseResult[];
  readonly contract: readonly ContractResult[];
  /** Counts over cases. */
  readonly summary: StatusCounts;
  /** Counts over contract checks. */
  readonly contractSummary: StatusCounts;
  /** Case name → this backend's forward results (cases that ran). */
  readonly outputs: Readonly<Record<string, CaseOutputs>>;
}

export function countStatuses(results: readonly { status: CaseStatus }[]): StatusCounts {
  const counts: StatusCounts = { pass: 0, fail: 0, unsupported: 0, error: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

/** True when the report has a failure or error (unsupported is not one). */
export function hasFailures(report: ConformanceReport): boolean {
  const { summary, contractSummary } = report;
  return summary.fail + summary.error + contractSummary.fail + contractSummary.error > 0;
}
