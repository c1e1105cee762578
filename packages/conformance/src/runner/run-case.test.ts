import { type Backend, GatedError, INFERENCE_CAPABILITIES } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { findCase } from '../cases/catalogue.js';
import {
  nanBackend,
  noGatesBackend,
  perturbedBackend,
  wrongDisposeBackend,
  wrongKernelsBackend,
  wrongReverseGateBackend,
  wrongStreamBackend,
} from '../test-backends.js';
import { DEFAULT_TOLERANCE } from '../tolerance.js';
import { runCase } from './run-case.js';

const run = async (backend: Backend, name: string) =>
  (await runCase(backend, findCase(name), DEFAULT_TOLERANCE)).result;

describe('runCase: a case status comes from its checks', () => {
  it('passes a case whose gates check is unsupported by declaration, with a note', async () => {
    const result = await run(noGatesBackend(), 'lstm peephole');
    expect(result.status).toBe('pass');
    expect(result.unsupportedChecks).toEqual(['gates']);
    expect(result.checks.gates.status).toBe('unsupported');
    expect(result.checks.gates.message).toMatch(
      /^gate traces are not supported: the backend does not declare feature 'returnGates'/,
    );
    for (const check of ['forward', 'stream', 'determinism', 'dispose'] as const)
      expect(result.checks[check].status).toBe('pass');
  });

  it('fails the gates check of a backend that declares returnGates but throws UNSUPPORTED', async () => {
    const inner = noGatesBackend();
    const lying: Backend = { ...inner, capabilities: INFERENCE_CAPABILITIES, compile: inner.compile };
    const result = await run(lying, 'lstm basic');
    expect(result.status).toBe('fail');
    expect(result.checks.gates.status).toBe('fail');
    expect(result.checks.gates.message).toMatch(
      /threw UNSUPPORTED although the backend's capabilities declare/,
    );
    expect(result.unsupportedChecks).toEqual([]);
  });

  it('keeps a case unsupported when its forward needs what the backend lacks', async () => {
    const result = await run(
      {
        ...noGatesBackend(),
        capabilities: {
          ...INFERENCE_CAPABILITIES,
          features: INFERENCE_CAPABILITIES.features.filter((f) => f !== 'projection'),
        },
        compile: async () => {
          throw new GatedError('UNSUPPORTED', "config: backend 'x' does not support 'projection'");
        },
      },
      'lstm projection',
    );
    expect(result.status).toBe('unsupported');
    expect(result.message).toMatch(
      /the case is not supported: the backend does not declare feature 'projection'/,
    );
    expect(result.checks.stream).toEqual({ status: 'n/a', message: 'not run: the case is unsupported' });
  });

  it('says a stream that agrees with a wrong forward agrees with it, and fails it against the reference', async () => {
    const result = await run(wrongKernelsBackend(1e-3), 'lstm basic');
    expect(result.checks.forward.status).toBe('fail');
    const problems = result.checks.stream.problems ?? [];
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^stream output vs the reference: 80 of 80 values outside tolerance/);
    expect(problems[0]).toMatch(/worst stream output\[step \d, b \d, unit \d\]: received \S+, expected \S+/);
    expect(problems[0]).toMatch(/\(it agrees with this backend's own forward\)$/);
  });

  it('says a right stream next to a wrong forward agrees with the reference', async () => {
    const result = await run(perturbedBackend(1e-3), 'gru basic');
    const problems = result.checks.stream.problems ?? [];
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^stream output vs this backend's own forward: /);
    expect(problems[0]).toMatch(/\(it agrees with the reference: the forward is what differs\)$/);
  });

  it('fails a wrong stream against the reference and against the forward, at the step that is wrong', async () => {
    const result = await run(wrongStreamBackend(1e-2), 'rnn tanh');
    expect(result.status).toBe('fail');
    expect(result.checks.forward.status).toBe('pass');
    const problems = result.checks.stream.problems ?? [];
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'stream output vs the reference',
      "stream output vs this backend's own forward",
    ]);
    for (const p of problems) {
      expect(p).toMatch(/1 of \d+ values outside tolerance, max abs error 1\.0e-2/);
      expect(p).toMatch(
        /worst stream output\[step 2, b 0, unit 1\]: received -?\d\.\d+, expected -?\d\.\d+ \(\|error\| 1\.0e-2 > tolerance \d\.\de-5\)/,
      );
    }
  });

  it('names the gate trace and decodes the element of a wrong reverse-direction gate', async () => {
    const result = await run(wrongReverseGateBackend(0.5), 'lstm projection stack bidirectional');
    expect(result.checks.forward.status).toBe('pass');
    expect(result.checks.gates.problems).toHaveLength(2);
    expect(result.checks.gates.problems?.[0]).toMatch(
      /^gates\[layer 0, reverse\]\.f vs the reference: 1 of 84 values outside tolerance.*\nworst gates\[layer 0, reverse\]\.f\[t 1, b 1, unit 2\]: received/s,
    );
    expect(result.checks.gates.problems?.[1]).toMatch(/^gates\[layer 1, reverse\]\.f vs the reference/);
  });

  it('lists every dispose problem', async () => {
    const result = await run(wrongDisposeBackend(), 'gru basic');
    expect(result.checks.dispose.problems).toEqual([
      'forward after dispose: expected GatedError DISPOSED, but the call succeeded',
      'stream step after model.dispose: expected GatedError DISPOSED, but the call succeeded',
      'model.stream after dispose: expected GatedError DISPOSED, but the call succeeded',
    ]);
  });

  it('reports NaN where the expected value is NaN too as both NaN, not as a confusing error', async () => {
    const result = await run(nanBackend(), 'lstm basic');
    expect(result.checks.forward.problems?.[0]).toMatch(
      /^output vs the reference: 10 of 80 values outside tolerance \(10 NaN\), max abs error inf\nworst output\[t 0, b 0, unit 1\]: received NaN, expected -?\d\.\d+ \(NaN is never within tolerance\)$/,
    );
    const versusForward = result.checks.stream.problems?.find((p) =>
      p.includes("this backend's own forward"),
    );
    expect(versusForward).toMatch(
      /received NaN, expected NaN \(both NaN at the same place; NaN never counts as within tolerance\)/,
    );
  });

  it('decodes batch-first outputs as (b, t, unit) and h rows as layers', async () => {
    const result = await run(wrongKernelsBackend(1e-3), 'lstm batchFirst bidirectional stack seqLens');
    const problems = result.checks.forward.problems ?? [];
    expect(problems[0]).toMatch(
      /^output vs the reference: .*\nworst output\[b \d, t \d, (forward|reverse) unit \d\]/s,
    );
    expect(problems.find((p) => p.startsWith('h vs'))).toMatch(
      /worst h\[layer 1 (forward|reverse), b \d, unit \d\]/,
    );
  });
});
