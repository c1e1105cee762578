import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// What a backend author sees: describeConformance from the built package, run by vitest in a
// project of its own.
const PACKAGE = new URL('..', import.meta.url).pathname;
const HELPER = join(PACKAGE, 'dist', 'vitest.js');
const REFERENCE_KERNELS = join(PACKAGE, 'dist', 'reference', 'reference-backend.js');
const CORE = join(PACKAGE, 'node_modules', '@gated', 'core', 'dist', 'index.js');
const VITEST = join(PACKAGE, 'node_modules', 'vitest', 'vitest.mjs');

const dir = mkdtempSync(join(tmpdir(), 'gated-conformance-vitest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const url = (file: string) => JSON.stringify(pathToFileURL(file).href);

/** Outputs off by 1e-3 everywhere; declares neither returnGates nor peephole, but runs peepholes. */
const BROKEN_TEST = `import { INFERENCE_CAPABILITIES, defineKernelBackend } from ${url(CORE)};
import { referenceKernels } from ${url(REFERENCE_KERNELS)};
import { describeConformance } from ${url(HELPER)};

function createBrokenBackend() {
  const kernels = referenceKernels();
  const features = INFERENCE_CAPABILITIES.features.filter((f) => f !== 'returnGates');
  const inner = defineKernelBackend({
    name: 'broken',
    capabilities: { ...INFERENCE_CAPABILITIES, features },
    kernels: { ...kernels, runSequence(job) {
      kernels.runSequence(job);
      for (let row = 0; row < job.steps * job.batch; row++)
        for (let j = 0; j < job.layer.outputSize; j++) job.output[row * job.outputStride + job.outputOffset + j] += 1e-3;
    } },
  });
  return { name: 'broken', dispose: () => inner.dispose(), compile: (c, w) => inner.compile(c, w),
    capabilities: { ...inner.capabilities, features: features.filter((f) => f !== 'peephole') } };
}

describeConformance('backend-broken', createBrokenBackend, { cases: ['lstm basic', 'lstm peephole'] });
`;

function runVitest(): Promise<{ code: number; output: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [VITEST, 'run', '--root', dir, '--reporter', 'verbose', '--no-color'],
      { cwd: dir, env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

describe('describeConformance as a backend author sees it', () => {
  it('names one test per check, fails with what was compared, passes unsupported checks with an annotation', async () => {
    if (!existsSync(HELPER)) throw new Error(`${HELPER} is missing: run pnpm build before this test`);
    writeFileSync(join(dir, 'broken.test.js'), BROKEN_TEST);
    const { code, output } = await runVitest();
    expect(code, output).toBe(1);
    // A test per check, titled by what it compares; the case outside the declared
    // capabilities is not titled "unsupported: …" although its forward runs and is wrong.
    expect(output).toMatch(
      /× broken\.test\.js > backend-broken > lstm basic > forward: output, h, c match the reference within/,
    );
    expect(output).toMatch(
      /✓ broken\.test\.js > backend-broken > lstm basic > determinism: two forwards over the same input are bit-identical/,
    );
    expect(output).toMatch(
      /✓ broken\.test\.js > backend-broken > lstm basic > gates: every gate trace matches the reference \(or UNSUPPORTED: needs feature 'returnGates'\).*\n.*\n\s*❯ unsupported\n\s*↳ unsupported: gate traces are not supported/,
    );
    expect(output).toMatch(
      /× broken\.test\.js > backend-broken > lstm peephole > forward: output, h, c match the reference within .* \(or UNSUPPORTED: needs feature 'peephole'\)/,
    );
    expect(output).not.toMatch(/unsupported: lstm peephole/);
    // A backend that does not train: each gradient case is a passing test annotated unsupported.
    expect(output).toMatch(
      /✓ broken\.test\.js > backend-broken > gradients > grad lstm clip: a recorded forward's gradients match the reference backward within .* \(or UNSUPPORTED: needs training\).*\n.*\n\s*❯ unsupported\n\s*↳ unsupported: the backend does not train/,
    );
    // The failure says what was compared with what, with the worst element decoded.
    expect(output).toMatch(
      /ConformanceFailure: 'lstm basic': forward failed:\n {2}output vs the reference: 80 of 80 values outside tolerance, max abs error 1\.0e-3\n {2}worst output\[t 3, b 0, unit 1\]: received 0\.0011007009, expected 0\.0001007009/,
    );
    expect(output).toMatch(
      /ConformanceFailure: 'lstm basic': stream failed:\n {2}stream output vs the reference: /,
    );
    expect(output).not.toMatch(/expected 'fail' to be 'pass'|AssertionError/);
    expect(output).not.toMatch(/↓/); // nothing skipped
    // The stack points at the author's describeConformance call, not into this package.
    expect(output).toMatch(/❯ broken\.test\.js:\d+:\d+/);
    expect(output).not.toMatch(/src\/vitest\.ts|dist\/vitest\.js/);
  }, 60_000);
});
