import type { Backend } from '@gated/core';
import { afterAll, describe, it } from 'vitest';
import { type CaseSelection, selectCases } from './cases/catalogue.js';
import { type GradientCaseSelection, selectGradientCases } from './cases/gradient-cases.js';
import {
  applicableChecks,
  checkTitle,
  checkVerdict,
  contractVerdict,
  gradientTitle,
  gradientVerdict,
  type Verdict,
} from './report/check-messages.js';
import { CONTRACT_CHECKS, missingForContractCheck, runContractCheck } from './runner/contract-checks.js';
import type { CaseOutputs, CaseResult } from './runner/report.js';
import { runCase } from './runner/run-case.js';
import { runGradientCase } from './runner/run-gradient-case.js';
import { type GradientTolerance, gradientToleranceFor, type Tolerance, toleranceFor } from './tolerance.js';

export interface DescribeConformanceOptions {
  /** Case names or a predicate; all cases by default. */
  cases?: CaseSelection;
  /** A wider tolerance for this backend (give a reason). */
  tolerance?: Partial<Tolerance>;
  /** Gradient case names or a predicate; all by default. */
  gradientCases?: GradientCaseSelection;
  /** A wider gradient tolerance for this backend (give a reason). */
  gradientTolerance?: Partial<GradientTolerance>;
  /** Per-test timeout in ms (default 30 000: slow backends run T = 200 cases; the first test
   * of a case runs all its checks). */
  timeout?: number;
}

/** A conformance check that did not hold. Its stack is the caller's `describeConformance(…)`
 * line: frames inside this package would point at sources it does not ship. */
export class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure';

  constructor(message: string, callerFrames: string) {
    super(message);
    this.stack = `${this.name}: ${message}${callerFrames}`;
  }
}

const PACKAGE_ROOT = new URL('..', import.meta.url);
/** This module as a stack frame may name it: built, or mapped back to its source. */
const OWN_FILES = ['src/vitest.ts', 'dist/vitest.js'].flatMap((file) => {
  const url = new URL(file, PACKAGE_ROOT);
  return [url.href, decodeURIComponent(url.pathname)];
});

/** The frames of the current stack outside this module: the caller of describeConformance. */
function callerFrames(): string {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  const outside = frames.filter((frame) => !OWN_FILES.some((file) => frame.includes(file)));
  return outside.length > 0 ? `\n${outside.join('\n')}` : '';
}

/** A verdict as a test result. 'skip' means the backend threw UNSUPPORTED for what its
 * capabilities declare it lacks: that is the contract, so the test passes, with the note
 * attached as an 'unsupported' annotation (shown by reporters), never silently skipped. */
async function enforce(
  verdict: Verdict,
  note: (message: string) => Promise<unknown>,
  frames: string,
): Promise<void> {
  if (verdict.outcome === 'skip') await note(verdict.message ?? 'unsupported');
  if (verdict.outcome === 'fail') throw new ConformanceFailure(verdict.message ?? 'failed', frames);
}

/** A vitest `describe` with a `describe` per conformance case holding one `it` per check
 * (forward, gates, stream, determinism, dispose, as they apply), one `it` per gradient case
 * (passing with an 'unsupported' annotation on a backend that does not train), and one `it` per
 * contract check. A failing check throws a ConformanceFailure that lists every problem: what was
 * compared with what, the worst element, received and expected. A check the backend's
 * capabilities do not cover passes with an 'unsupported' annotation when the backend throws
 * UNSUPPORTED for it (as declared); it fails if the backend runs it and gets it wrong. */
export function describeConformance(
  name: string,
  createBackend: () => Backend | Promise<Backend>,
  options: DescribeConformanceOptions = {},
): void {
  const timeout = options.timeout ?? 30_000;
  const frames = callerFrames();
  describe(name, async () => {
    const backend = await createBackend();
    const tolerance = toleranceFor(backend.name, options.tolerance);
    afterAll(() => backend.dispose());

    for (const testCase of selectCases(options.cases)) {
      let run: Promise<{ result: CaseResult; outputs?: CaseOutputs }> | undefined;
      describe(testCase.name, () => {
        for (const check of applicableChecks(testCase)) {
          it(checkTitle(check, testCase, backend.capabilities, tolerance), { timeout }, async (context) => {
            run ??= runCase(backend, testCase, tolerance);
            const { result } = await run;
            await enforce(
              checkVerdict(result, check),
              (note) => context.annotate(note, 'unsupported'),
              frames,
            );
          });
        }
      });
    }

    describe('gradients', () => {
      const gradientTolerance = gradientToleranceFor(backend.name, options.gradientTolerance);
      for (const testCase of selectGradientCases(options.gradientCases)) {
        it(gradientTitle(testCase, backend.capabilities, gradientTolerance), { timeout }, async (context) => {
          const result = await runGradientCase(backend, testCase, {
            forward: tolerance,
            gradient: gradientTolerance,
          });
          await enforce(gradientVerdict(result), (note) => context.annotate(note, 'unsupported'), frames);
        });
      }
    });

    describe('contract', () => {
      for (const check of CONTRACT_CHECKS) {
        const missing = missingForContractCheck(backend.capabilities, check);
        const label =
          missing.length === 0 ? check.name : `${check.name} (or UNSUPPORTED: needs ${missing.join(', ')})`;
        it(label, { timeout }, async (context) => {
          const outcome = await runContractCheck(backend, check, { createBackend });
          await enforce(
            contractVerdict(check.name, outcome),
            (note) => context.annotate(note, 'unsupported'),
            frames,
          );
        });
      }
    });
  });
}
