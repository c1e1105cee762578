import type { Backend, ForwardResult, RecurrentModel } from '@gated/core';
import { buildCaseData, type ConformanceCase } from '../cases/conformance-case.js';
import { referenceForward } from '../reference/reference-forward.js';
import type { Tolerance } from '../tolerance.js';
import { missingCapabilities } from './case-needs.js';
import { checkDispose } from './check-dispose.js';
import {
  checkDeterminism,
  checkForwardAgainstReference,
  checkGatesAgainstReference,
} from './check-forward.js';
import { checkStreamAgainstForward } from './check-stream.js';
import { outcomeOfThrow } from './gated-errors.js';
import type { CaseChecks, CaseOutputs, CaseResult, CaseStatus, CheckResult } from './report.js';

const NOT_RUN: CheckResult = { status: 'n/a', message: 'not run: the forward did not complete' };

/** Runs one check; a throw becomes its result (UNSUPPORTED → 'unsupported', else 'error'). */
async function attempt(
  during: string,
  check: () => Promise<CheckResult> | CheckResult,
): Promise<CheckResult> {
  try {
    return await check();
  } catch (error) {
    return outcomeOfThrow(error, during);
  }
}

function caseStatus(checks: CaseChecks, declaredMissing: string[]): { status: CaseStatus; message?: string } {
  const all = Object.entries(checks) as [string, CheckResult][];
  const first = (status: string) => all.find(([, r]) => r.status === status);
  const found = first('error') ?? first('fail');
  if (found) return { status: found[1].status as CaseStatus, message: `${found[0]}: ${found[1].message}` };
  const unsupported = first('unsupported');
  if (unsupported) {
    if (declaredMissing.length === 0) {
      return {
        status: 'fail',
        message: `${unsupported[0]}: threw UNSUPPORTED although the backend's capabilities declare everything this case needs (${unsupported[1].message})`,
      };
    }
    return { status: 'unsupported', message: unsupported[1].message };
  }
  return { status: 'pass' };
}

function maxOf(values: (number | undefined)[]): number {
  const numbers = values.filter((v): v is number => v !== undefined);
  return numbers.length === 0 ? Number.NaN : Math.max(...numbers);
}

/** Every per-case check of one backend: forward and gates against the reference, stream
 * against forward, determinism, dispose. */
export async function runCase(
  backend: Backend,
  testCase: ConformanceCase,
  tolerance: Tolerance,
): Promise<{ result: CaseResult; outputs?: CaseOutputs }> {
  const started = performance.now();
  const data = buildCaseData(testCase);
  const { h0, c0, seqLens, returnGates } = data.options;
  const reference = referenceForward(testCase.config, data.weights, data.x, {
    h0: h0?.data,
    c0: c0?.data,
    seqLens,
    returnGates,
  });

  const checks: Record<keyof CaseChecks, CheckResult> = {
    forward: NOT_RUN,
    gates: NOT_RUN,
    stream: NOT_RUN,
    determinism: NOT_RUN,
    dispose: NOT_RUN,
  };
  let outputs: CaseOutputs | undefined;
  let model: RecurrentModel | null = null;
  try {
    model = await backend.compile(testCase.config, data.weights);
  } catch (error) {
    checks.forward = outcomeOfThrow(error, 'compile');
  }
  if (model !== null) {
    const compiled = model;
    // Gates come from a forward of their own, so that a backend without returnGates still
    // has its outputs checked and compared across backends.
    const plainOptions = { ...data.options, returnGates: false };
    let first: ForwardResult | null = null;
    try {
      first = await compiled.forward(data.x, plainOptions);
      checks.forward = checkForwardAgainstReference(first, reference, tolerance);
    } catch (error) {
      checks.forward = outcomeOfThrow(error, 'forward');
    }
    if (first !== null) {
      const result = first;
      outputs = { output: result.output.data, h: result.h.data, ...(result.c ? { c: result.c.data } : {}) };
      checks.gates = returnGates
        ? await attempt('forward with returnGates', async () =>
            checkGatesAgainstReference(await compiled.forward(data.x, data.options), reference, tolerance),
          )
        : { status: 'n/a', message: 'the case does not ask for gates' };
      checks.determinism = await attempt('second forward', async () =>
        checkDeterminism(result, await compiled.forward(data.x, plainOptions)),
      );
      checks.stream = await attempt('stream', () =>
        checkStreamAgainstForward(compiled, data, tolerance, result),
      );
    }
    checks.dispose = await attempt('dispose', () => checkDispose(compiled, data.x));
    compiled.dispose();
  }

  const { status, message } = caseStatus(checks, missingCapabilities(backend.capabilities, testCase));
  const result: CaseResult = {
    case: testCase.name,
    status,
    checks,
    maxAbsError: maxOf([checks.forward.maxAbsError, checks.gates.maxAbsError]),
    maxUlp: maxOf([checks.forward.maxUlp, checks.gates.maxUlp]),
    ...(message === undefined ? {} : { message }),
    durationMs: performance.now() - started,
  };
  return { result, ...(outputs ? { outputs } : {}) };
}
