import type { Backend } from '@gated/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type CaseSelection, selectCases } from './cases/catalogue.js';
import { missingCapabilities } from './runner/case-needs.js';
import { CONTRACT_CHECKS, missingForContractCheck, runContractCheck } from './runner/contract-checks.js';
import type { CaseResult } from './runner/report.js';
import { runCase } from './runner/run-case.js';
import { formatTolerance, type Tolerance, toleranceFor } from './tolerance.js';

export interface DescribeConformanceOptions {
  /** Case names or a predicate; all cases by default. */
  cases?: CaseSelection;
  /** A wider tolerance for this backend (give a reason). */
  tolerance?: Partial<Tolerance>;
  /** Per-test timeout in ms (default 30 000: slow backends run T = 200 cases). */
  timeout?: number;
}

function describeFailure(result: CaseResult): string {
  const checks = Object.entries(result.checks)
    .map(([name, check]) => `  ${name}: ${check.status}${check.message ? ` — ${check.message}` : ''}`)
    .join('\n');
  return `case '${result.case}' ${result.status}: ${result.message ?? ''}\n${checks}`;
}

/** A vitest `describe` with one `it` per conformance case and per contract check. A case the
 * backend's capabilities do not cover is a test named "unsupported: …" that asserts the backend
 * really throws UNSUPPORTED for it (shown, never skipped). */
export function describeConformance(
  name: string,
  createBackend: () => Backend | Promise<Backend>,
  options: DescribeConformanceOptions = {},
): void {
  const timeout = options.timeout ?? 30_000;
  describe(name, async () => {
    const backend = await createBackend();
    const tolerance = toleranceFor(backend.name, options.tolerance);
    afterAll(() => backend.dispose());

    for (const testCase of selectCases(options.cases)) {
      const missing = missingCapabilities(backend.capabilities, testCase);
      if (missing.length > 0) {
        it(`unsupported: ${testCase.name} (needs ${missing.join(', ')})`, { timeout }, async () => {
          const { result } = await runCase(backend, testCase, tolerance);
          expect(result.status, describeFailure(result)).toBe('unsupported');
        });
      } else {
        it(`${testCase.name} matches the reference within ${formatTolerance(tolerance)}`, {
          timeout,
        }, async () => {
          const { result } = await runCase(backend, testCase, tolerance);
          expect(result.status, describeFailure(result)).toBe('pass');
        });
      }
    }

    for (const check of CONTRACT_CHECKS) {
      const missing = missingForContractCheck(backend.capabilities, check);
      const label =
        missing.length === 0 ? check.name : `${check.name} (or UNSUPPORTED: needs ${missing.join(', ')})`;
      it(label, { timeout }, async () => {
        const outcome = await runContractCheck(backend, check, { createBackend });
        expect(['pass', 'unsupported'], `${outcome.status}: ${outcome.message ?? ''}`).toContain(
          outcome.status,
        );
      });
    }
  });
}
