import { type Backend, type ForwardResult, normalizeConfig, type RecurrentModel } from '@gated/core';
import { buildCaseData, type ConformanceCase } from '../cases/conformance-case.js';
import { referenceForward } from '../reference/reference-forward.js';
import type { Tolerance } from '../tolerance.js';
import { missingForCheck } from './case-needs.js';
import { checkDispose } from './check-dispose.js';
import {
  checkDeterminism,
  checkForwardAgainstReference,
  checkGatesAgainstReference,
} from './check-forward.js';
import { checkStream } from './check-stream.js';
import { outcomeOfThrow } from './gated-errors.js';
import {
  type CaseOutputs,
  type CaseResult,
  type CaseStatus,
  CHECK_NAMES,
  type CheckName,
  type CheckResult,
} from './report.js';

const NOT_RUN: CheckResult = { status: 'n/a', message: 'not run: the forward did not complete' };

/** What each check is about, for the note when a backend declares it cannot do it. */
const CHECK_SUBJECTS: Readonly<Record<CheckName, string>> = {
  forward: 'the case is',
  gates: 'gate traces are',
  stream: 'streams are',
  determinism: 'the case is',
  dispose: 'the case is',
};

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

/** An 'unsupported' check is one only where the backend does not declare what it needs; then
 * it gets a note that says so. Throwing UNSUPPORTED for what is declared is a fail. */
function judgeUnsupported(result: CheckResult, missing: readonly string[], subject: string): CheckResult {
  if (result.status !== 'unsupported') return result;
  if (missing.length === 0) {
    const problem = `threw UNSUPPORTED although the backend's capabilities declare everything this check needs (${result.message})`;
    return { status: 'fail', message: problem, problems: [problem] };
  }
  return {
    status: 'unsupported',
    message: `${subject} not supported: the backend does not declare ${missing.join(', ')} (${result.message})`,
  };
}

function caseStatus(checks: Record<CheckName, CheckResult>): { status: CaseStatus; message?: string } {
  const named = CHECK_NAMES.map((name) => [name, checks[name]] as const);
  const failing = named.filter(([, r]) => r.status === 'error' || r.status === 'fail');
  if (failing.length > 0) {
    return {
      status: failing.some(([, r]) => r.status === 'error') ? 'error' : 'fail',
      message: failing.map(([name, r]) => `${name}: ${r.message}`).join(' || '),
    };
  }
  if (checks.forward.status === 'unsupported')
    return { status: 'unsupported', message: checks.forward.message };
  return { status: 'pass' };
}

function maxOf(values: (number | undefined)[]): number {
  const numbers = values.filter((v): v is number => v !== undefined);
  return numbers.length === 0 ? Number.NaN : Math.max(...numbers);
}

/** Every per-case check of one backend: forward and gates against the reference, stream
 * against the reference and the backend's own forward, determinism, dispose. */
export async function runCase(
  backend: Backend,
  testCase: ConformanceCase,
  tolerance: Tolerance,
): Promise<{ result: CaseResult; outputs?: CaseOutputs }> {
  const started = performance.now();
  const config = normalizeConfig(testCase.config);
  const data = buildCaseData(testCase);
  const { h0, c0, seqLens, returnGates } = data.options;
  const reference = referenceForward(config, data.weights, data.x, {
    h0: h0?.data,
    c0: c0?.data,
    seqLens,
    returnGates,
  });

  const checks: Record<CheckName, CheckResult> = {
    forward: NOT_RUN,
    gates: returnGates ? NOT_RUN : { status: 'n/a', message: 'the case does not ask for gates' },
    stream: config.bidirectional ? { status: 'n/a', message: 'bidirectional models cannot stream' } : NOT_RUN,
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
      checks.forward = checkForwardAgainstReference(first, reference, tolerance, config);
    } catch (error) {
      checks.forward = outcomeOfThrow(error, 'forward');
    }
    if (first !== null) {
      const result = first;
      outputs = { output: result.output.data, h: result.h.data, ...(result.c ? { c: result.c.data } : {}) };
      if (returnGates) {
        checks.gates = await attempt('forward with returnGates', async () =>
          checkGatesAgainstReference(
            await compiled.forward(data.x, data.options),
            reference,
            tolerance,
            config,
          ),
        );
      }
      checks.determinism = await attempt('second forward', async () =>
        checkDeterminism(result, await compiled.forward(data.x, plainOptions), config),
      );
      if (!config.bidirectional) {
        // A stream has no seqLens: with them, both expectations are over every step.
        const expectations = seqLens
          ? {
              reference: referenceForward(config, data.weights, data.x, { h0: h0?.data, c0: c0?.data }),
              ownForward: () => compiled.forward(data.x, { h0, c0 }),
            }
          : { reference, ownForward: async () => result };
        checks.stream = await attempt('stream', () => checkStream(compiled, data, tolerance, expectations));
      }
    }
    checks.dispose = await attempt('dispose', () => checkDispose(compiled, data.x));
    compiled.dispose();
  }
  for (const name of CHECK_NAMES) {
    const missing = missingForCheck(backend.capabilities, testCase, name);
    checks[name] = judgeUnsupported(checks[name], missing, CHECK_SUBJECTS[name]);
  }
  if (checks.forward.status === 'unsupported') {
    for (const name of CHECK_NAMES) {
      if (checks[name] === NOT_RUN)
        checks[name] = { status: 'n/a', message: 'not run: the case is unsupported' };
    }
  }

  const { status, message } = caseStatus(checks);
  const result: CaseResult = {
    case: testCase.name,
    status,
    checks,
    unsupportedChecks:
      status === 'unsupported' ? [] : CHECK_NAMES.filter((name) => checks[name].status === 'unsupported'),
    maxAbsError: maxOf([checks.forward.maxAbsError, checks.gates.maxAbsError]),
    maxUlp: maxOf([checks.forward.maxUlp, checks.gates.maxUlp]),
    ...(message === undefined ? {} : { message }),
    durationMs: performance.now() - started,
  };
  return { result, ...(outputs ? { outputs } : {}) };
}
