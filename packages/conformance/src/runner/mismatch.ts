import { type Comparison, compareWithTolerance, type Tolerance } from '../tolerance.js';
import type { CheckResult } from './report.js';
import { positionOf, type TensorLayout } from './tensor-layout.js';

/** One tensor compared with what it should equal, and the problem to report if it does not. */
export interface TensorComparison {
  readonly comparison: Comparison;
  /** null when every element is within tolerance */
  readonly problem: string | null;
}

/** 3.1e-7 style; '—' for no value. */
export function formatError(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return 'inf';
  return value.toExponential(1);
}

/** A compared value with 8 significant digits (enough to tell f32 values 1e-7 apart). */
export function formatValue(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(8))) : String(value);
}

/** Why the worst element is outside the tolerance, in words. */
function worstReason(actual: number, expected: number, tolerance: Tolerance): string {
  if (Number.isNaN(actual) && Number.isNaN(expected))
    return 'both NaN at the same place; NaN never counts as within tolerance';
  if (Number.isNaN(actual)) return 'NaN is never within tolerance';
  if (Number.isNaN(expected)) return 'the expected value itself is NaN';
  if (!Number.isFinite(actual)) return 'not finite';
  const allowed = tolerance.abs + tolerance.rel * Math.abs(expected);
  return `|error| ${formatError(Math.abs(actual - expected))} > tolerance ${formatError(allowed)}`;
}

/** "output vs the reference: 40 of 40 values outside tolerance, max abs error 1.0e-3" and, on
 * a second line, the worst element: where it is, received, expected and why. */
export function describeMismatch(
  layout: TensorLayout,
  against: string,
  comparison: Comparison,
  tolerance: Tolerance,
  lengths: { actual: number; expected: number },
): string {
  const head = `${layout.name} vs ${against}`;
  const { worst } = comparison;
  if (lengths.actual !== lengths.expected || worst === null)
    return `${head}: expected ${lengths.expected} values, received ${lengths.actual}`;
  const nan = comparison.nan > 0 ? ` (${comparison.nan} NaN)` : '';
  const where = `${layout.name}[${positionOf(layout, worst.index)}]`;
  return [
    `${head}: ${comparison.mismatches} of ${lengths.expected} values outside tolerance${nan}, max abs error ${formatError(comparison.maxAbsError)}`,
    `worst ${where}: received ${formatValue(worst.actual)}, expected ${formatValue(worst.expected)} (${worstReason(worst.actual, worst.expected, tolerance)})`,
  ].join('\n');
}

/** `actual` against `expected` (what `against` names, e.g. 'the reference'). */
export function compareTensor(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  layout: TensorLayout,
  against: string,
  tolerance: Tolerance,
): TensorComparison {
  const comparison = compareWithTolerance(actual, expected, tolerance);
  const lengths = { actual: actual.length, expected: expected.length };
  return {
    comparison,
    problem: comparison.pass ? null : describeMismatch(layout, against, comparison, tolerance, lengths),
  };
}

/** Problems as one line, for `message`. */
export function joinProblems(problems: readonly string[]): string {
  return problems.map((p) => p.replace(/\n/g, '; ')).join(' | ');
}

/** A check's result from its problems: 'fail' with them, or 'pass'. */
export function resultOf(
  problems: readonly string[],
  errors: { maxAbsError?: number; maxUlp?: number } = {},
): CheckResult {
  return problems.length === 0
    ? { status: 'pass', ...errors }
    : { status: 'fail', ...errors, message: joinProblems(problems), problems };
}

/** Several tensor comparisons folded into one check result. */
export function foldComparisons(
  parts: readonly TensorComparison[],
  extraProblems: string[] = [],
): CheckResult {
  let maxAbsError = 0;
  let maxUlp = 0;
  const problems = [...extraProblems];
  for (const { comparison, problem } of parts) {
    maxAbsError = Math.max(maxAbsError, comparison.maxAbsError);
    maxUlp = Math.max(maxUlp, comparison.maxUlp);
    if (problem !== null) problems.push(problem);
  }
  return resultOf(problems, { maxAbsError, maxUlp });
}
