import { INFERENCE_CAPABILITIES } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { GRADIENT_CASES } from '../cases/gradient-cases.js';
import {
  accumulatingBackend,
  inferenceOnlyBackend,
  permissiveBackend,
  refusingBackend,
  wrongGradientBackend,
} from '../gradient-test-backends.test-helper.js';
import { createReferenceBackend } from '../reference/reference-backend.js';
import { formatMarkdown } from '../report/format-markdown.js';
import { formatMatrix } from '../report/format-matrix.js';
import { reportsToJson } from '../report/report-json.js';
import { restrictedBackend } from '../test-backends.js';
import { DEFAULT_GRADIENT_TOLERANCE, DEFAULT_TOLERANCE } from '../tolerance.js';
import { compareBackends } from './compare-backends.js';
import { runConformance } from './run-conformance.js';
import { NOT_TRAINING, runGradientCase } from './run-gradient-case.js';

const tolerances = { forward: DEFAULT_TOLERANCE, gradient: DEFAULT_GRADIENT_TOLERANCE };
const byName = (name: string) => GRADIENT_CASES.find((c) => c.name === name)!;
const REFUSED = 'grad lstm thresholdedRelu is UNSUPPORTED';

describe('gradient cases', () => {
  it('pass on the reference backend, every one, with f32 output rounding as the only error', async () => {
    const backend = createReferenceBackend();
    for (const testCase of GRADIENT_CASES) {
      const result = await runGradientCase(backend, testCase, tolerances);
      expect([testCase.name, result.status, result.message]).toEqual([testCase.name, 'pass', undefined]);
      if (testCase.expect === 'gradients') expect(result.maxScaledError).toBeLessThan(1e-6);
    }
  });

  it('are unsupported, without running, on a backend that does not train', async () => {
    const backend = inferenceOnlyBackend();
    const result = await runGradientCase(backend, byName('grad lstm basic h0 c0'), tolerances);
    expect(result).toMatchObject({ status: 'unsupported', message: NOT_TRAINING });
    expect(result.maxAbsError).toBeNaN();
  });

  it('fail a backend whose weight gradient is off by 1e-2, naming the tensor, gate and unit', async () => {
    const backend = wrongGradientBackend(1e-2, 'weight_hh_l0', 7);
    const result = await runGradientCase(backend, byName('grad lstm basic h0 c0'), tolerances);
    expect(result.status).toBe('fail');
    expect(result.maxAbsError).toBeCloseTo(1e-2, 6);
    expect(result.problems).toHaveLength(1);
    // Row 1 of weight_hh_l0 [4·5, 5] is gate i, unit 1; column 2.
    expect(result.problems?.[0]).toMatch(
      /^∂L\/∂weight_hh_l0 vs the reference backward: 1 of 100 values outside tolerance, max abs error 1\.0e-2\nworst ∂L\/∂weight_hh_l0\[gate i, unit 1, col 2\]: received/,
    );
  });

  it('fail a backend whose input gradient is off, naming t, b and the input unit', async () => {
    const backend = wrongGradientBackend(-5e-3, 'x', 5);
    const result = await runGradientCase(backend, byName('grad gru T=1'), tolerances);
    expect(result.status).toBe('fail');
    expect(result.problems?.[0]).toMatch(/worst ∂L\/∂x\[t 0, b 1, in 2\]/);
  });

  it('fail a backend whose second backward adds to the first', async () => {
    const result = await runGradientCase(accumulatingBackend(), byName('grad rnn elu no bias'), tolerances);
    expect(result.status).toBe('fail');
    expect(result.problems).toHaveLength(1);
    expect(result.message).toMatch(
      /^a second backward\(upstream\) on the same recording differs from the first/,
    );
  });

  it('fail a backend that declares training but throws UNSUPPORTED', async () => {
    const result = await runGradientCase(refusingBackend(), byName('grad gru no bias'), tolerances);
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/threw UNSUPPORTED although the backend declares training/);
  });

  it('expect recordForward to refuse thresholdedRelu: pass when it does, fail when it trains', async () => {
    const refused = await runGradientCase(createReferenceBackend(), byName(REFUSED), tolerances);
    expect(refused.status).toBe('pass');
    const trained = await runGradientCase(permissiveBackend(), byName(REFUSED), tolerances);
    expect(trained.status).toBe('fail');
    expect(trained.message).toMatch(
      /expected GatedError UNSUPPORTED naming 'thresholdedRelu', but the call succeeded/,
    );
  });

  it('are unsupported when the case needs a feature the backend does not declare', async () => {
    const capabilities = {
      ...INFERENCE_CAPABILITIES,
      training: true,
      features: INFERENCE_CAPABILITIES.features.filter((f) => f !== 'peephole'),
    };
    const result = await runGradientCase(
      restrictedBackend(capabilities),
      byName('grad lstm peephole h0 c0'),
      tolerances,
    );
    expect(result.status).toBe('unsupported');
    expect(result.message).toMatch(/feature 'peephole'/);
  });
});

describe('the gradient section of a report', () => {
  const cases = ['grad lstm basic h0 c0', 'grad gru resetBefore clip', REFUSED];

  it('shows pass, fail and unsupported per backend with the max error, within 100 columns', async () => {
    const reports = [
      await runConformance(createReferenceBackend(), { cases: [], gradientCases: cases, contract: false }),
      await runConformance(wrongGradientBackend(1e-2, 'bias_hh_l0', 0), {
        cases: [],
        gradientCases: cases,
        contract: false,
      }),
      await runConformance(inferenceOnlyBackend(), {
        cases: [],
        gradientCases: cases,
        contract: false,
      }),
    ];
    expect(reports.map((r) => r.gradientSummary)).toEqual([
      { pass: 3, fail: 0, unsupported: 0, error: 0 },
      { pass: 1, fail: 2, unsupported: 0, error: 0 },
      { pass: 0, fail: 0, unsupported: 3, error: 0 },
    ]);
    const text = formatMatrix(reports, compareBackends(reports));
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
    const row = (name: string) => text.split('\n').find((line) => line.endsWith(name))!;
    expect(row('grad lstm basic h0 c0')).toMatch(/^✓ \d\.\de-\d+ +✗ 1\.0e-2 +unsupported +grad lstm basic/);
    expect(row(REFUSED)).toMatch(/^✓ refused +✓ refused +unsupported +grad lstm thresholdedRelu/);
    expect(text).toContain('3 gradient cases: 1 pass, 2 fail, 0 unsupported, 0 error');
    expect(text).toContain('Gradient tolerance, per tensor: |a − ref| ≤ abs·max(1, max|ref|) + rel·|ref|');
    expect(text).toMatch(/inference-only, 3 gradient cases: the backend does not train/);
    expect(text).toMatch(
      /wrong-gradient \/ gradients: grad gru resetBefore clip: fail\n {4}gradients: ∂L\/∂bias_hh_l0/,
    );
    const markdown = formatMarkdown(reports, compareBackends(reports));
    expect(markdown).toContain('## Gradients (max |a − ref| over every gradient of the case)');
    expect(markdown).toMatch(/\| grad lstm basic h0 c0 \| ✓ [^|]+ \| ✗ 1\.0e-2 \| unsupported \|/);
    const json = JSON.parse(reportsToJson(reports, compareBackends(reports)));
    expect(json.backends[1].gradients[0]).toMatchObject({ kind: 'gradient', case: cases[0], status: 'fail' });
    expect(json.backends[1].gradientTolerance).toEqual(DEFAULT_GRADIENT_TOLERANCE);
  });
});
