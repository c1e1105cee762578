import { CASES, type ConformanceCase, missingCapabilities, runCase, toleranceFor } from '@gated/conformance';
import { afterAll, describe, expect, it } from 'vitest';
import { createOnnxBackend } from './index.js';
import { RUNTIMES } from './runtimes.test-helper.js';

// Most catalogue cases ask for gate traces, which an ONNX graph cannot return, so the
// conformance suite reports them as unsupported. These reruns drop returnGates and check
// everything else (forward, stream, determinism, dispose) on the same cases.
const withoutGates = (c: ConformanceCase): ConformanceCase => ({
  ...c,
  options: { ...c.options, returnGates: false },
});

describe.each(RUNTIMES)('$name backend on the conformance cases without gate traces', async ({ options }) => {
  const backend = await createOnnxBackend(options);
  afterAll(() => backend.dispose());
  const tolerance = toleranceFor(backend.name);
  const runnable = CASES.filter(
    (c) => c.options.returnGates && missingCapabilities(backend.capabilities, withoutGates(c)).length === 0,
  );

  it('covers most of the catalogue', () => {
    expect(runnable.length).toBeGreaterThan(CASES.length / 2);
  });

  for (const testCase of runnable) {
    it(`${testCase.name} matches the reference`, { timeout: 30_000 }, async () => {
      const { result } = await runCase(backend, withoutGates(testCase), tolerance);
      expect(result.status, `${result.message ?? ''} ${JSON.stringify(result.checks)}`).toBe('pass');
    });
  }
});
