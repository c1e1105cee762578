import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const PACKAGE = new URL('..', import.meta.url).pathname;
const CLI = join(PACKAGE, 'dist', 'cli.js');
const ENTRY = join(PACKAGE, 'dist', 'index.js');

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
    JSON.stringify({ name: '@fake/backend-broken', main: './dist/index.js' }),
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
    expect(stdout).toMatch(/lstm basic\s+✓ \d/);
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(json.backends.map((b: { backend: string }) => b.backend)).toEqual(['reference']);
    expect(json.backends[0].cases).toHaveLength(1);
    expect(json.backends[0].cases[0]).toMatchObject({ case: 'lstm basic', status: 'pass' });
    expect(json.backends[0].summary).toEqual({ pass: 1, fail: 0, unsupported: 0, error: 0 });
    expect(json.crossBackend.maxAbsDiff).toEqual([[0]]);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('| lstm basic |');
  });

  it('discovers workspace backends, notes unbuilt ones and exits 1 when one fails', async () => {
    const { code, stdout, stderr } = await runCli(
      ['--workspace', fakeWorkspace(), '--cases', 'gru basic', '--quiet'],
      PACKAGE,
    );
    expect(stderr).toMatch(/skipping @fake\/backend-unbuilt: .*not built/);
    expect(stdout).toMatch(/gru basic\s+✓ \S+\s+✗ 1\.0e-3/);
    expect(stdout).toMatch(/broken: 0 pass, 1 fail/);
    expect(code).toBe(1);
  });

  it('exits 2 with the usage for a backend it cannot find', async () => {
    const { code, stderr } = await runCli(['--backend', '@nobody/no-such-backend'], PACKAGE);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no-such-backend.*usage:/s);
  });
});
