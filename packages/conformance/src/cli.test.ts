import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const PACKAGE = new URL('..', import.meta.url).pathname;
const CLI = join(PACKAGE, 'dist', 'cli.js');
const ENTRY = join(PACKAGE, 'dist', 'index.js');
const REFERENCE_KERNELS = join(PACKAGE, 'dist', 'reference', 'reference-backend.js');
const CORE = join(PACKAGE, 'node_modules', '@gated', 'core', 'dist', 'index.js');

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function temporaryDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gated-conformance-'));
  temporary.push(dir);
  return dir;
}

function runCli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run pnpm build before the CLI tests`);
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A workspace with one unbuilt backend and one built backend whose outputs are off by 1e-3. */
function fakeWorkspace(): string {
  const dir = temporaryDir();
  const unbuilt = join(dir, 'packages', 'backend-unbuilt');
  mkdirSync(unbuilt, { recursive: true });
  writeFileSync(
    join(unbuilt, 'package.json'),
    JSON.stringify({ name: '@fake/backend-unbuilt', exports: { '.': { default: './dist/index.js' } } }),
  );
  const broken = join(dir, 'packages', 'backend-broken');
  mkdirSync(join(broken, 'dist'), { recursive: true });
  writeFileSync(
    join(broken, 'package.json'),
    JSON.stringify({ name: '@fake/backend-broken', type: 'module', main: './dist/index.js' }),
  );
  writeFileSync(
    join(broken, 'dist', 'index.js'),
    `import { createReferenceBackend } from ${JSON.stringify(pathToFileURL(ENTRY).href)};
export function createBrokenBackend() {
  const inner = createReferenceBackend();
  return { name: 'broken', capabilities: inner.capabilities, dispose: () => inner.dispose(),
    async compile(config, weights) {
      const model = await inner.compile(config, weights);
      return { config: model.config, stream: (o) => model.stream(o), dispose: () => model.dispose(),
        async forward(x, o) { const r = await model.forward(x, o); return { ...r, output: { data: r.output.data.map((v) => v + 1e-3), shape: r.output.shape } }; } };
    } };
}\n`,
  );
  return dir;
}

/** A built workspace backend package `packages/<folder>` whose entry is `source` (and whose
 * package.json has `gated` when given). */
function writeBackend(dir: string, folder: string, source: string, gated?: unknown): void {
  const packageDir = join(dir, 'packages', folder);
  mkdirSync(join(packageDir, 'dist'), { recursive: true });
  writeFileSync(
    join(packageDir, 'package.json'),
    JSON.stringify({ name: `@fake/${folder}`, type: 'module', main: './dist/index.js', gated }),
  );
  writeFileSync(join(packageDir, 'dist', 'index.js'), source);
}

/** Two backends on the reference kernels: one whose outputs are off by 1e-3, one that does
 * not declare (and refuses) gate traces. */
function authorsWorkspace(): string {
  const dir = temporaryDir();
  const imports = `import { INFERENCE_CAPABILITIES, defineKernelBackend } from ${JSON.stringify(pathToFileURL(CORE).href)};
import { referenceKernels } from ${JSON.stringify(pathToFileURL(REFERENCE_KERNELS).href)};
`;
  writeBackend(
    dir,
    'backend-off',
    `${imports}export function createOffBackend() {
  const kernels = referenceKernels();
  return defineKernelBackend({ name: 'off', capabilities: INFERENCE_CAPABILITIES, kernels: { ...kernels,
    runSequence(job) {
      kernels.runSequence(job);
      for (let row = 0; row < job.steps * job.batch; row++)
        for (let j = 0; j < job.layer.outputSize; j++) job.output[row * job.outputStride + job.outputOffset + j] += 1e-3;
    } } });
}\n`,
  );
  writeBackend(
    dir,
    'backend-nogates',
    `${imports}export function createNoGatesBackend() {
  const features = INFERENCE_CAPABILITIES.features.filter((f) => f !== 'returnGates');
  return defineKernelBackend({ name: 'nogates', capabilities: { ...INFERENCE_CAPABILITIES, features }, kernels: referenceKernels() });
}\n`,
  );
  return dir;
}

/** One package declaring two configurations of its factory (in package.json, gated.backends). */
function declaringWorkspace(): string {
  const dir = temporaryDir();
  writeBackend(
    dir,
    'backend-twin',
    `import { INFERENCE_CAPABILITIES, defineKernelBackend } from ${JSON.stringify(pathToFileURL(CORE).href)};
import { referenceKernels } from ${JSON.stringify(pathToFileURL(REFERENCE_KERNELS).href)};
export function createTwinBackend(options = {}) {
  const name = options.variant ? 'twin@' + options.variant : 'twin';
  return defineKernelBackend({ name, capabilities: INFERENCE_CAPABILITIES, kernels: referenceKernels() });
}\n`,
    { backends: [{ name: 'twin' }, { name: 'twin@b', options: { variant: 'b' } }] },
  );
  return dir;
}

const columns = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));

describe('gated-conformance CLI', () => {
  it('runs a backend given by path#export, prints the matrix and writes JSON and Markdown', async () => {
    const dir = temporaryDir();
    const { code, stdout } = await runCli(
      [
        '--backend',
        `${ENTRY}#createReferenceBackend`,
        '--cases',
        'lstm basic',
        '--json',
        'report.json',
        '--markdown',
        'report.md',
        '--quiet',
      ],
      dir,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/✓ \d\S*\s+lstm basic/);
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(json.backends.map((b: { backend: string }) => b.backend)).toEqual(['reference']);
    expect(json.backends[0].cases).toHaveLength(1);
    expect(json.backends[0].cases[0]).toMatchObject({ case: 'lstm basic', status: 'pass' });
    expect(json.backends[0].summary).toEqual({
      pass: 1,
      fail: 0,
      unsupported: 0,
      error: 0,
      passWithUnsupportedChecks: 0,
    });
    expect(json.backends[0].cases[0].checks.gates).toEqual({
      status: 'pass',
      maxAbsError: expect.any(Number),
      maxUlp: expect.any(Number),
    });
    expect(json.backends[0].checkSummary.dispose).toEqual({
      pass: 1,
      fail: 0,
      unsupported: 0,
      error: 0,
      'n/a': 0,
    });
    expect(json.crossBackend.maxAbsDiff).toEqual([[0]]);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('| lstm basic |');
  });

  it('discovers workspace backends, notes unbuilt ones and exits 1 when one fails', async () => {
    const { code, stdout, stderr } = await runCli(
      ['--workspace', fakeWorkspace(), '--cases', 'gru basic', '--quiet'],
      PACKAGE,
    );
    expect(stderr).toMatch(/skipping @fake\/backend-unbuilt: .*not\s+built/s);
    expect(stdout).toMatch(/✓ \S+\s+✗ 1\.0e-3\s+gru basic/);
    expect(stdout).toMatch(/broken\s+1 case: 0 pass, 1 fail/);
    expect(code).toBe(1);
  });

  it('runs each configuration a workspace package declares as a column of its own', async () => {
    const dir = declaringWorkspace();
    const { code, stdout, stderr } = await runCli(
      ['--workspace', dir, '--cases', 'gru basic', '--json', 'report.json', '--quiet'],
      dir,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/reference\s+twin\s+twin@b\s+case\n/);
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(json.backends.map((b: { backend: string }) => b.backend)).toEqual(['reference', 'twin', 'twin@b']);
    // The contract check that needs a fresh backend got a factory (of the same configuration:
    // see discover-workspace.test.ts), so it ran.
    for (const report of json.backends.slice(1)) {
      const check = report.contract.find((c: { name: string }) =>
        c.name.startsWith('backend.dispose() during'),
      );
      expect(check.status).toBe('pass');
    }
  });

  it('prints a gradient section: the reference passes with its error, a backend that does not train is unsupported', async () => {
    const dir = declaringWorkspace();
    const { code, stdout } = await runCli(
      ['--workspace', dir, '--cases', 'grad gru no bias', '--json', 'report.json', '--markdown', 'report.md'],
      dir,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /reference\s+twin\s+twin@b\s+gradient case \(max \|a − ref\| over every gradient\)\n/,
    );
    expect(stdout).toMatch(/✓ \d\.\de-\d+\s+unsupported\s+unsupported\s+grad gru no bias\n/);
    expect(stdout).toMatch(/twin, 1 gradient case: the backend does not train/);
    expect(columns(stdout)).toBeLessThanOrEqual(100);
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(
      json.backends.map((b: { gradients: { status: string }[] }) => b.gradients.map((g) => g.status)),
    ).toEqual([['pass'], ['unsupported'], ['unsupported']]);
    expect(json.backends[0].gradientSummary).toEqual({ pass: 1, fail: 0, unsupported: 0, error: 0 });
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(
      /\| grad gru no bias \| ✓ [^|]+ \| unsupported \| unsupported \|/,
    );
  });

  it('exits 2 with the usage for a backend it cannot find', async () => {
    const { code, stderr } = await runCli(['--backend', '@nobody/no-such-backend'], PACKAGE);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no-such-backend.*usage:/s);
  });

  it('says what it did and how to name a backend when none is named', async () => {
    const { code, stdout, stderr } = await runCli(['--cases', 'lstm basic', '--quiet'], temporaryDir());
    expect(code).toBe(0);
    expect(stderr).toMatch(
      /^gated-conformance: no backend given or found, so only the reference backend runs/,
    );
    expect(stderr).toMatch(/Name a backend with --backend <package-or-path>\[#export\]/);
    expect(stdout).toMatch(/Only the reference backend ran, as a self-check\. Name a backend with --backend/);
    expect(columns(stdout)).toBeLessThanOrEqual(100);
    expect(columns(stderr)).toBeLessThanOrEqual(100);
  });

  it('lists every failing check within 100 columns, and notes gaps once, even with --quiet', async () => {
    const { code, stdout, stderr } = await runCli(
      ['--workspace', authorsWorkspace(), '--cases', 'lstm basic', '--quiet'],
      PACKAGE,
    );
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/✓ \S+\s+✓ \S+ −g\s+✗ 1\.0e-3\s+lstm basic\n/);
    expect(stdout).toMatch(
      /nogates\s+1 case: 1 pass, 0 fail, 0 unsupported, 0 error; 1 of the passes with a check\s+unsupported \(gates 1\)/,
    );
    expect(stdout).toMatch(
      /Unsupported \(the backend does not declare what these need\)\n {2}nogates, 1 gates check: gate traces are not supported/,
    );
    const failures = stdout.slice(stdout.indexOf('\nFailures'));
    expect(failures).toMatch(
      / {2}off \/ lstm basic: fail\n {4}forward: output vs the reference: 80 of 80 values outside tolerance/,
    );
    expect(failures).toMatch(
      /\n {8}worst output\[t 3, b 0, unit 1\]: received 0\.0011007009, expected 0\.0001007009/,
    );
    expect(failures).toMatch(
      /\n {4}stream: stream output vs the reference: 80 of 80 values outside tolerance/,
    );
    expect(failures).toMatch(/\(it agrees with this backend's own forward\)/);
    expect(columns(stdout)).toBeLessThanOrEqual(100);
  });

  it('shows progress, and a line per failing case, on stderr without --quiet', async () => {
    const { stderr } = await runCli(['--workspace', authorsWorkspace(), '--cases', 'gru basic'], PACKAGE);
    expect(stderr).toMatch(/gated-conformance: running off…\n {2}✗ gru basic: fail in forward, stream\n/);
    expect(stderr).toMatch(/gated-conformance: nogates done in \d+\.\d s/);
    expect(stderr).not.toMatch(/nogates[^\n]*unsupported/);
    expect(columns(stderr)).toBeLessThanOrEqual(100);
  });
});
