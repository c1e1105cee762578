import { describe, expect, it } from 'vitest';
import { createReferenceBackend } from '../reference/reference-backend.js';
import { compareBackends } from '../runner/compare-backends.js';
import type { ConformanceReport } from '../runner/report.js';
import { type ConformanceOptions, runConformance } from '../runner/run-conformance.js';
import {
  noGatesBackend,
  perturbedBackend,
  wrongDisposeBackend,
  wrongKernelsBackend,
  wrongStreamBackend,
} from '../test-backends.js';
import { formatMarkdown } from './format-markdown.js';
import { formatMatrix } from './format-matrix.js';

const CASES = ['lstm basic', 'lstm peephole', 'lstm H=17 B=5', 'gru basic', 'lstm bidirectional', 'rnn tanh'];
const options: ConformanceOptions = { cases: CASES, contract: false };

async function reportOn(...backends: (() => import('@gated/core').Backend)[]): Promise<ConformanceReport[]> {
  const reports = [await runConformance(createReferenceBackend(), options)];
  for (const create of backends) reports.push(await runConformance(create(), options));
  return reports;
}

const text = (reports: ConformanceReport[]) => formatMatrix(reports, compareBackends(reports));
/** The lines of one section, from its heading to the next blank line. */
const section = (output: string, heading: string) =>
  output.slice(output.indexOf(heading)).split('\n\n')[0].split('\n');
/** Wrapped lines joined back into one. */
const unwrap = (lines: string[]) => lines.map((line) => line.trim()).join(' ');

describe('formatMatrix for backend authors', () => {
  it('shows a backend without gate traces as passing with a noted gap, and counts honestly', async () => {
    const output = text(await reportOn(noGatesBackend));
    expect(output).toMatch(/✓ \S+\s+✓ \S+ −g\s+lstm peephole\n/);
    expect(output).toMatch(/✓ \S+\s+✓ \S+\s+lstm H=17 B=5\n/);
    expect(output).toMatch(/^−g: the gates check is unsupported/m);
    expect(output).toMatch(
      /no-gates\s+6 cases: 6 pass, 0 fail, 0 unsupported, 0 error; 5 of the passes with a check\s+unsupported \(gates 5\)/,
    );
    expect(output).toMatch(/unsupported: gates 5/);
    // One grouped note, not a line per case that reads as if the case were unsupported.
    const unsupported = section(output, 'Unsupported');
    expect(unwrap(unsupported)).toMatch(
      /no-gates, 5 gates checks: gate traces are not supported: the backend does not declare feature 'returnGates'/,
    );
    expect(unwrap(unsupported)).toContain(
      'lstm basic, lstm peephole, lstm bidirectional, gru basic, rnn tanh',
    );
    expect(output).not.toContain('Failures');
  });

  it('lists every failing check of every failing case, what it was compared with, and the worst element', async () => {
    const output = text(await reportOn(wrongKernelsBackend.bind(null, 1e-3), wrongDisposeBackend));
    const failures = section(output, 'Failures');
    const block = failures.slice(failures.indexOf('  wrong-kernels / lstm basic: fail'));
    expect(block[1]).toBe(
      '    forward: output vs the reference: 80 of 80 values outside tolerance, max abs error 1.0e-3',
    );
    expect(block[2]).toMatch(
      /^ {8}worst output\[t 3, b 0, unit 1\]: received 0\.0011007009, expected 0\.0001007009/,
    );
    expect(unwrap(block.slice(2, 4))).toMatch(/\(\|error\| 1\.0e-3 > tolerance 1\.0e-5\)$/);
    expect(block[4]).toBe(
      '    stream: stream output vs the reference: 80 of 80 values outside tolerance, max abs error 1.0e-3',
    );
    expect(block[5]).toMatch(/^ {8}worst stream output\[step 3, b 0, unit 1\]: received/);
    expect(block.join('\n')).toContain("(it agrees with this backend's own forward)");
    expect(output).toMatch(
      / {2}wrong-dispose \/ gru basic: fail\n {4}dispose: forward after dispose: expected GatedError DISPOSED, but the call succeeded\n {4}dispose: stream step after model\.dispose: expected GatedError DISPOSED, but the call succeeded\n {4}dispose: model\.stream after dispose: /,
    );
    expect(output).toMatch(/✗ dispose\s+lstm basic/);
    for (const line of output.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(100);
  });

  it('tells a stream that is wrong from a forward that is wrong', async () => {
    const output = text(
      await reportOn(wrongStreamBackend.bind(null, 1e-2), perturbedBackend.bind(null, 1e-3)),
    );
    expect(output).toMatch(/✓ \S+\s+✗ stream\s+✗ 1\.0e-3\s+rnn tanh/);
    expect(output).toMatch(
      /wrong-stream \/ rnn tanh: fail\n {4}stream: stream output vs the reference: 1 of 80 values outside tolerance, max abs error 1\.0e-2\n {8}worst stream output\[step 2, b 0, unit 1\]/,
    );
    expect(output).toMatch(/ {4}stream: stream output vs this backend's own forward: 1 of 80 values/);
    expect(output).toMatch(
      /perturbed \/ rnn tanh: fail\n {4}forward: output vs the reference: [^\n]*\n[^\n]*\n[^\n]*\n {4}stream: stream output vs this backend's own forward: /,
    );
    expect(output).toMatch(/\(it agrees with the reference: the forward is what differs\)/);
  });

  it('writes the same per-check results as Markdown', async () => {
    const reports = await reportOn(noGatesBackend, wrongKernelsBackend.bind(null, 1e-3));
    const markdown = formatMarkdown(reports, compareBackends(reports));
    expect(markdown).toMatch(/\| lstm peephole \| ✓ \S+ \| ✓ \S+ −g \| ✗ 1\.0e-3 \|/);
    expect(markdown).toContain('5 of the passes with a check unsupported (gates 5)');
    expect(markdown).toMatch(/## Unsupported\n\n- no-gates, 5 gates checks: gate traces are not supported/);
    expect(markdown).toMatch(
      /- \*\*wrong-kernels \/ lstm basic\*\*: fail\n {2}- forward: output vs the reference: .* — worst output\[t \d, b \d, unit \d\]/,
    );
  });
});
