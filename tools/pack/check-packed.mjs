#!/usr/bin/env node
// The packed-tarball consumer check (part of `pnpm test`): packs the packages as a release
// would (pnpm pack), checks each tarball (no workspace: ranges left, every source map's
// sources shipped), installs them into a project outside the workspace with npm, and runs
// them there: Node ESM, and TypeScript under both nodenext and the legacy node10 resolution.
// It also checks that plain `npm pack` is refused by the prepack guard.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PACKAGES = ['core', 'backend-ts', 'backend-wasm', 'conformance', 'train'];
const work = mkdtempSync(join(tmpdir(), 'gated-packed-'));
const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
};
const run = (cmd, args, cwd, env = {}) =>
  execFileSync(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

try {
  const tarballs = [];
  for (const name of PACKAGES) {
    const dir = join(root, 'packages', name);
    run('pnpm', ['pack', '--pack-destination', work], dir);
    const tarball = readdirSync(work).find((f) => f.startsWith(`gated-${name}-`) && f.endsWith('.tgz'));
    check(tarball !== undefined, `${name}: pnpm pack wrote no tarball`);
    if (!tarball) continue;
    tarballs.push(join(work, tarball));
    const files = run('tar', ['-tzf', join(work, tarball)], work)
      .split('\n')
      .filter(Boolean);
    const manifest = run('tar', ['-xzOf', join(work, tarball), 'package/package.json'], work);
    check(!manifest.includes('workspace:'), `${name}: the packed package.json still has a workspace: range`);
    const json = JSON.parse(manifest);
    check(
      typeof json.main === 'string' && typeof json.types === 'string',
      `${name}: no top-level main/types`,
    );
    check(!files.some((f) => f.endsWith('.test.ts')), `${name}: tests shipped in the tarball`);
    for (const map of files.filter((f) => f.endsWith('.js.map') || f.endsWith('.d.ts.map'))) {
      const { sources } = JSON.parse(run('tar', ['-xzOf', join(work, tarball), map], work));
      for (const source of sources) {
        const target = posix.normalize(posix.join(posix.dirname(map), source));
        check(files.includes(target), `${name}: ${map} points at ${source}, which is not in the tarball`);
      }
    }
  }

  const npmPack = (() => {
    try {
      // As a user's shell would run it: without the npm_config_* a pnpm script passes down.
      const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
      execFileSync('npm', ['pack', '--pack-destination', work], {
        cwd: join(root, 'packages', 'core'),
        env: clean,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return 'succeeded';
    } catch (error) {
      return String(error.stderr ?? error);
    }
  })();
  check(
    npmPack.includes('pack and publish with pnpm'),
    `npm pack was not refused by the prepack guard: ${npmPack.slice(0, 200)}`,
  );

  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'outside-app', private: true, type: 'module' }),
  );
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--legacy-peer-deps', ...tarballs], app);

  writeFileSync(
    join(app, 'main.mjs'),
    `import { initWeights, tensor } from '@gated/core';
import { createTsBackend } from '@gated/backend-ts';
import { createWasmBackend } from '@gated/backend-wasm';
import { createReferenceBackend, runConformance } from '@gated/conformance';
import { meanSquaredError } from '@gated/train';
const config = { cell: 'lstm', inputSize: 4, hiddenSize: 8, numLayers: 2 };
const weights = initWeights(config, { seed: 3 });
const x = tensor(new Float32Array(5 * 2 * 4).map((_, k) => Math.sin(k)), [5, 2, 4]);
const outs = [];
for (const create of [createTsBackend, createWasmBackend, createReferenceBackend]) {
  const backend = await create();
  const model = await backend.compile(config, weights);
  outs.push((await model.forward(x)).output.data);
  backend.dispose();
}
const diff = Math.max(...outs[0].map((v, k) => Math.max(Math.abs(v - outs[1][k]), Math.abs(v - outs[2][k]))));
if (!(diff < 1e-5)) throw new Error('backends disagree: ' + diff);
const report = await runConformance(await createTsBackend(), { cases: ['lstm basic', 'gru basic'], contract: false });
if (report.summary.pass !== 2) throw new Error('conformance from the tarball: ' + JSON.stringify(report.summary));
// Training from the tarballs: one recorded forward and backward on wasm and ts agree.
const grads = [];
for (const create of [createTsBackend, createWasmBackend]) {
  const backend = await create();
  const model = await backend.compile(config, weights);
  const recorded = await model.recordForward(x);
  grads.push((await recorded.backward({ output: recorded.output })).weights.weight_ih_l0);
  recorded.release();
  backend.dispose();
}
const gradDiff = Math.max(...grads[0].map((v, k) => Math.abs(v - grads[1][k])));
if (!(gradDiff < 1e-4)) throw new Error('gradients disagree: ' + gradDiff);
const loss = meanSquaredError(tensor(new Float32Array([1, 2]), [1, 2]), tensor(new Float32Array([1, 0]), [1, 2]));
if (loss.loss !== 2) throw new Error('@gated/train from the tarball: ' + JSON.stringify(loss));
console.log('outside app ok, max |ts - wasm|, |ts - reference| = ' + diff.toExponential(1));
`,
  );
  const out = run('node', ['main.mjs'], app);
  check(out.includes('outside app ok'), `the outside app did not run: ${out}`);

  writeFileSync(
    join(app, 'typed.ts'),
    `import { initWeights, type Tensor, tensor } from '@gated/core';
import { createTsBackend } from '@gated/backend-ts';
import type { describeConformance } from '@gated/conformance/vitest';
export async function run(): Promise<Tensor> {
  const backend = await createTsBackend();
  const model = await backend.compile({ cell: 'lstm', inputSize: 2, hiddenSize: 3 }, initWeights({ cell: 'lstm', inputSize: 2, hiddenSize: 3 }));
  const result = await model.forward(tensor(new Float32Array(2), [1, 1, 2]));
  const c: Tensor = result.c; // an LSTM's c is always there
  return c;
}
export type Describe = typeof describeConformance;
`,
  );
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const [module, resolution] of [
    ['nodenext', 'nodenext'],
    ['esnext', 'node10'],
  ]) {
    const config = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: 'es2022',
        module,
        moduleResolution: resolution,
        lib: ['es2022', 'dom'],
        types: [],
      },
      files: ['typed.ts'],
    };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(config));
    try {
      run('node', [tsc, '-p', 'tsconfig.json'], app);
    } catch (error) {
      failures.push(`tsc (${resolution}) on the outside app: ${error.stdout ?? error}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  process.stderr.write(
    `packed-tarball check: ${failures.length} failure(s)\n${failures.map((f) => `  - ${f}`).join('\n')}\n`,
  );
  process.exit(1);
}
console.log(
  `packed-tarball check: ${PACKAGES.join(', ')} packed with pnpm, installed outside the workspace, run in Node and typechecked (nodenext, node10); npm pack refused`,
);
