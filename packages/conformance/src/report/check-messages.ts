import { type Capabilities, normalizeConfig } from '@gated/core';
import type { ConformanceCase } from '../cases/conformance-case.js';
import type { GradientCase } from '../cases/gradient-cases.js';
import { missingForCheck, missingForForward } from '../runner/case-needs.js';
import type { Outcome } from '../runner/gated-errors.js';
import type { CaseResult, CheckName, GradientResult } from '../runner/report.js';
import {
  formatGradientTolerance,
  formatTolerance,
  type GradientTolerance,
  type Tolerance,
} from '../tolerance.js';
import { MAX_PROBLEMS_SHOWN } from './format-problems.js';

/** What a test runner does with one check's result. */
export interface Verdict {
  readonly outcome: 'pass' | 'skip' | 'fail';
  /** Why it was skipped (unsupported, not applicable, not run), or every problem of a failure. */
  readonly message?: string;
}

/** The checks that apply to a case: gates only when it asks for them, streams only for
 * unidirectional models. */
export function applicableChecks(testCase: ConformanceCase): CheckName[] {
  const config = normalizeConfig(testCase.config);
  return [
    'forward',
    ...(testCase.options.returnGates ? (['gates'] as const) : []),
    ...(config.bidirectional ? [] : (['stream'] as const)),
    'determinism',
    'dispose',
  ];
}

/** A test title that reads right whether the check passes, fails or is unsupported, e.g.
 * "gates: every gate trace matches the reference (or UNSUPPORTED: needs feature 'returnGates')". */
export function checkTitle(
  check: CheckName,
  testCase: ConformanceCase,
  capabilities: Capabilities,
  tolerance: Tolerance,
): string {
  const config = normalizeConfig(testCase.config);
  const titles: Record<CheckName, string> = {
    forward: `forward: output, h${config.cell === 'lstm' ? ', c' : ''} match the reference within ${formatTolerance(tolerance)}`,
    gates: 'gates: every gate trace matches the reference',
    stream: `stream: ${testCase.T} steps match the reference and this backend's own forward; reset restores`,
    determinism: 'determinism: two forwards over the same input are bit-identical',
    dispose: 'dispose: forward, stream step and stream() after model.dispose() are DISPOSED',
  };
  const missing = missingForCheck(capabilities, testCase, check);
  return missing.length === 0
    ? titles[check]
    : `${titles[check]} (or UNSUPPORTED: needs ${missing.join(', ')})`;
}

const indent = (text: string, by: string) => text.replace(/^/gm, by);

/** The verdict on one check of a case, with a message that says what was compared with what. */
export function checkVerdict(result: CaseResult, check: CheckName): Verdict {
  const r = result.checks[check];
  switch (r.status) {
    case 'pass':
      return { outcome: 'pass' };
    case 'unsupported':
      return { outcome: 'skip', message: `unsupported: ${r.message ?? ''}` };
    case 'n/a':
      return { outcome: 'skip', message: r.message ?? 'not applicable' };
    default: {
      const problems = r.problems ?? [r.message ?? r.status];
      const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => indent(p, '  '));
      if (problems.length > shown.length)
        shown.push(`  … and ${problems.length - shown.length} more problems`);
      const verb = r.status === 'error' ? 'threw' : 'failed';
      return { outcome: 'fail', message: `'${result.case}': ${check} ${verb}:\n${shown.join('\n')}` };
    }
  }
}

/** The verdict on one contract check. */
export function contractVerdict(name: string, outcome: Outcome): Verdict {
  switch (outcome.status) {
    case 'pass':
    case 'n/a':
      return { outcome: 'pass' };
    case 'unsupported':
      return { outcome: 'skip', message: `unsupported: ${outcome.message ?? ''}` };
    default:
      return {
        outcome: 'fail',
        message: `contract check '${name}' ${outcome.status === 'error' ? 'threw' : 'failed'}:\n  ${outcome.message ?? ''}`,
      };
  }
}

/** A gradient case's test title, e.g. "grad lstm clip: gradients match the reference backward
 * within 1e-5·max(1, max|ref|) + 1e-4·|ref| (or UNSUPPORTED: needs training)". */
export function gradientTitle(
  testCase: GradientCase,
  capabilities: Capabilities,
  tolerance: GradientTolerance,
): string {
  const title =
    testCase.expect === 'UNSUPPORTED'
      ? `${testCase.name}: recordForward is UNSUPPORTED (an activation without a derivative)`
      : `${testCase.name}: a recorded forward's gradients match the reference backward within ${formatGradientTolerance(tolerance)}, twice`;
  const missing = [
    ...(capabilities.training ? [] : ['training']),
    ...missingForForward(capabilities, testCase),
  ];
  return missing.length === 0 ? title : `${title} (or UNSUPPORTED: needs ${missing.join(', ')})`;
}

/** The verdict on one gradient case. */
export function gradientVerdict(result: GradientResult): Verdict {
  switch (result.status) {
    case 'pass':
      return { outcome: 'pass' };
    case 'unsupported':
      return { outcome: 'skip', message: `unsupported: ${result.message ?? ''}` };
    default: {
      const problems = result.problems ?? [result.message ?? result.status];
      const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => indent(p, '  '));
      if (problems.length > shown.length)
        shown.push(`  … and ${problems.length - shown.length} more problems`);
      const verb = result.status === 'error' ? 'threw' : 'failed';
      return { outcome: 'fail', message: `gradient case '${result.case}' ${verb}:\n${shown.join('\n')}` };
    }
  }
}
