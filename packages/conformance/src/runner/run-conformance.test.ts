import { type Backend, GatedError, INFERENCE_CAPABILITIES } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { createReferenceBackend } from '../reference/reference-backend.js';
import { formatMarkdown } from '../report/format-markdown.js';
import { formatMatrix } from '../report/format-matrix.js';
import { reportsToJson } from '../report/report-json.js';
import { perturbedBackend, restrictedBackend } from '../test-backends.js';
import { compareBackends } from './compare-backends.js';
import { runConformance } from './run-conformance.js';

const FEW_CASES = ['lstm basic', 'lstm peephole', 'gru basic', 'rnn relu', 'lstm bidirectional seqLens'];

describe('runConformance', () => {
  it('passes the reference backend on the selected cases', async () => {
    const report = await runConformance(createReferenceBackend(), { cases: FEW_CASES });
    expect(report.cases.map((c) => c.case).sort()).toEqual([...FEW_CASES].sort());
    expect(report.summary).toEqual({
      pass: 5,
      fail: 0,
      unsupported: 0,
      error: 0,
      passWithUnsupportedChecks: 0,
    });
    expect(report.checkSummary.stream).toEqual({ pass: 4, fail: 0, unsupported: 0, error: 0, 'n/a': 1 });
    expect(report.contractSummary.fail + report.contractSummary.error).toBe(0);
    expect(report.cases[0].maxAbsError).toBeLessThan(1e-7);
    const byName = (name: string) => report.cases.find((c) => c.case === name)!;
    expect(byName('lstm basic').checks.stream.status).toBe('pass');
    expect(byName('lstm bidirectional seqLens').checks.stream.status).toBe('n/a');
  });

  it('fails a backend whose outputs are off by 1e-3, with its error', async () => {
    const report = await runConformance(perturbedBackend(1e-3), { cases: FEW_CASES, contract: false });
    expect(report.summary.fail).toBe(5);
    for (const result of report.cases) {
      expect(result.checks.forward.status).toBe('fail');
      expect(result.maxAbsError).toBeCloseTo(1e-3, 5);
      expect(result.message).toMatch(
        /^forward: output vs the reference: \d+ of \d+ values outside tolerance/,
      );
    }
    // The stream is right: it fails against this backend's own forward only, and says so.
    const stream = report.cases.find((c) => c.case === 'lstm basic')?.checks.stream;
    expect(stream?.status).toBe('fail');
    expect(stream?.problems).toHaveLength(1);
    expect(stream?.message).toMatch(
      /^stream output vs this backend's own forward: .*the forward is what differs/,
    );
  });

  it('reports cases outside the declared capabilities as unsupported, not as passes', async () => {
    const capabilities = {
      ...INFERENCE_CAPABILITIES,
      cells: ['lstm', 'rnn'] as const,
      features: INFERENCE_CAPABILITIES.features.filter((f) => f !== 'peephole'),
    };
    const report = await runConformance(restrictedBackend(capabilities), { cases: FEW_CASES });
    const status = Object.fromEntries(report.cases.map((c) => [c.case, c.status]));
    expect(status).toEqual({
      'lstm basic': 'pass',
      'lstm peephole': 'unsupported',
      'gru basic': 'unsupported',
      'rnn relu': 'pass',
      'lstm bidirectional seqLens': 'pass',
    });
    expect(report.cases.find((c) => c.case === 'gru basic')?.message).toMatch(/gru/);
    expect(report.contract.find((c) => c.name.startsWith('c0 for a GRU'))?.status).toBe('unsupported');
  });

  it('fails a backend that throws UNSUPPORTED for what its capabilities declare', async () => {
    const actual = { ...INFERENCE_CAPABILITIES, cells: ['lstm'] as const };
    const report = await runConformance(restrictedBackend(actual, INFERENCE_CAPABILITIES), {
      cases: ['gru basic'],
    });
    expect(report.cases[0].status).toBe('fail');
    expect(report.cases[0].message).toMatch(/declare/);
    expect(report.contract.find((c) => c.name.startsWith('c0 for a GRU'))?.status).toBe('fail');
  });

  it('reports a backend that throws something other than a GatedError as an error', async () => {
    const broken: Backend = {
      ...createReferenceBackend(),
      compile: async () => {
        throw new TypeError('boom');
      },
    };
    const report = await runConformance(broken, { cases: ['lstm basic'], contract: false });
    expect(report.cases[0].status).toBe('error');
    expect(report.cases[0].message).toMatch(/TypeError: boom/);
  });

  it('rejects unknown case names', async () => {
    await expect(runConformance(createReferenceBackend(), { cases: ['nope'] })).rejects.toThrow(GatedError);
  });
});

describe('compareBackends and the report formats', () => {
  it('gives the pairwise max difference per case and over cases, and prints it', async () => {
    const reports = [
      await runConformance(createReferenceBackend(), { cases: FEW_CASES, contract: false }),
      await runConformance(perturbedBackend(2e-3), { cases: FEW_CASES, contract: false }),
    ];
    const comparison = compareBackends(reports);
    expect(comparison.backends).toEqual(['reference', 'perturbed']);
    expect(comparison.maxAbsDiff[0][0]).toBe(0);
    expect(comparison.maxAbsDiff[0][1]).toBeCloseTo(2e-3, 6);
    expect(comparison.perCase['gru basic'][1][0]).toBeCloseTo(2e-3, 6);

    const text = formatMatrix(reports, comparison);
    expect(text).toMatch(/✓ \d\.\de-\d+\s+✗ 2\.0e-3\s+lstm basic/);
    expect(text).toMatch(/reference\s+5 cases: 5 pass, 0 fail/);
    expect(formatMarkdown(reports, comparison)).toContain('| lstm basic |');
    const json = JSON.parse(reportsToJson(reports, comparison));
    expect(json.backends[1].summary.fail).toBe(5);
    expect(json.backends[1].outputs).toBeUndefined();
  });
});
