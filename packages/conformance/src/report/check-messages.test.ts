import { INFERENCE_CAPABILITIES } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { findCase } from '../cases/catalogue.js';
import { runCase } from '../runner/run-case.js';
import { noGatesBackend, restrictedBackend, wrongKernelsBackend } from '../test-backends.js';
import { DEFAULT_TOLERANCE } from '../tolerance.js';
import { applicableChecks, checkTitle, checkVerdict, contractVerdict } from './check-messages.js';

const run = async (backend: ReturnType<typeof noGatesBackend>, name: string) =>
  (await runCase(backend, findCase(name), DEFAULT_TOLERANCE)).result;

describe('test titles and verdicts for describeConformance', () => {
  it('gives a case one test per check that applies to it', () => {
    expect(applicableChecks(findCase('lstm basic'))).toEqual([
      'forward',
      'gates',
      'stream',
      'determinism',
      'dispose',
    ]);
    expect(applicableChecks(findCase('lstm H=17 B=5'))).toEqual([
      'forward',
      'stream',
      'determinism',
      'dispose',
    ]);
    expect(applicableChecks(findCase('gru stack bidirectional h0'))).toEqual([
      'forward',
      'gates',
      'determinism',
      'dispose',
    ]);
  });

  it('titles a check by what it compares, and says when UNSUPPORTED is acceptable', () => {
    const lstm = findCase('lstm basic');
    expect(checkTitle('forward', lstm, INFERENCE_CAPABILITIES, DEFAULT_TOLERANCE)).toBe(
      'forward: output, h, c match the reference within 1e-5 + 1e-4·|ref|',
    );
    expect(checkTitle('stream', lstm, INFERENCE_CAPABILITIES, DEFAULT_TOLERANCE)).toBe(
      "stream: 5 steps match the reference and this backend's own forward; reset restores",
    );
    expect(checkTitle('gates', lstm, noGatesBackend().capabilities, DEFAULT_TOLERANCE)).toBe(
      "gates: every gate trace matches the reference (or UNSUPPORTED: needs feature 'returnGates')",
    );
    const lstmOnly = { ...INFERENCE_CAPABILITIES, cells: ['lstm'] as const };
    expect(checkTitle('forward', findCase('gru basic'), lstmOnly, DEFAULT_TOLERANCE)).toBe(
      "forward: output, h match the reference within 1e-5 + 1e-4·|ref| (or UNSUPPORTED: needs cell 'gru')",
    );
  });

  it('fails with every problem and no assertion jargon', async () => {
    const result = await run(wrongKernelsBackend(1e-3), 'lstm basic');
    const verdict = checkVerdict(result, 'forward');
    expect(verdict.outcome).toBe('fail');
    expect(verdict.message).toMatch(
      /^'lstm basic': forward failed:\n {2}output vs the reference: 80 of 80 values outside tolerance, max abs error 1\.0e-3\n {2}worst output\[t 3, b 0, unit 1\]: received 0\.0011007009, expected 0\.0001007009 \(\|error\| 1\.0e-3 > tolerance 1\.0e-5\)$/,
    );
    expect(checkVerdict(result, 'stream').message).toMatch(
      /\n {2}\(it agrees with this backend's own forward\)$/,
    );
    expect(checkVerdict(result, 'determinism')).toEqual({ outcome: 'pass' });
  });

  it('skips an unsupported check with its note, and the checks of an unsupported case as not run', async () => {
    expect(checkVerdict(await run(noGatesBackend(), 'lstm basic'), 'gates')).toEqual({
      outcome: 'skip',
      message: expect.stringMatching(
        /^unsupported: gate traces are not supported: the backend does not declare/,
      ),
    });
    const gru = await run(restrictedBackend({ ...INFERENCE_CAPABILITIES, cells: ['lstm'] }), 'gru basic');
    expect(checkVerdict(gru, 'forward').message).toMatch(/^unsupported: the case is not supported/);
    expect(checkVerdict(gru, 'stream')).toEqual({
      outcome: 'skip',
      message: 'not run: the case is unsupported',
    });
  });

  it('gives contract checks the same three outcomes', () => {
    expect(contractVerdict('x', { status: 'pass' })).toEqual({ outcome: 'pass' });
    expect(contractVerdict('x', { status: 'unsupported', message: 'no gru' })).toEqual({
      outcome: 'skip',
      message: 'unsupported: no gru',
    });
    expect(contractVerdict('x', { status: 'fail', message: 'expected GatedError' })).toEqual({
      outcome: 'fail',
      message: "contract check 'x' failed:\n  expected GatedError",
    });
  });
});
