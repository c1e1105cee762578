import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Backend, isGatedError, tensor } from '@gated/core';
import { type PreparedRow, SkipRow, type Subject, type Task } from './subject.js';

type BackendFactory = (options?: Record<string, unknown>) => Backend | Promise<Backend>;

/** The directory holding pnpm-workspace.yaml above this file. */
export function findWorkspaceRoot(from = dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** The built entry file of a package directory, or null when it has not been built. */
function builtEntry(packageDir: string): string | null {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const root = manifest.exports?.['.'];
  const relative =
    typeof root === 'string' ? root : (root?.default ?? root?.import ?? manifest.main ?? 'dist/index.js');
  const entry = join(packageDir, relative);
  return existsSync(entry) ? entry : null;
}

async function loadFactory(entry: string): Promise<BackendFactory | null> {
  const module = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  const name = Object.keys(module).find(
    (key) => /^create\w*Backend$/.test(key) && typeof module[key] === 'function',
  );
  return name ? (module[name] as BackendFactory) : null;
}

/** The rows of one gated backend: compile once per task, then time forward or step. */
export function backendSubject(backend: Backend, aliases: readonly string[]): Subject {
  return {
    name: backend.name,
    kind: 'backend',
    aliases,
    prepare: (task) => prepareBackendRow(backend, task),
    dispose: () => backend.dispose(),
  };
}

async function prepareBackendRow(backend: Backend, task: Task): Promise<PreparedRow> {
  const { shape } = task;
  let model: Awaited<ReturnType<Backend['compile']>>;
  try {
    model = await backend.compile(task.config, task.weights);
  } catch (error) {
    if (isGatedError(error, 'UNSUPPORTED')) throw new SkipRow(error.message);
    throw error;
  }
  if (shape.mode === 'stream') {
    const xt = tensor(task.input, [shape.batch, shape.inputSize]);
    const stream = model.stream({ batch: shape.batch });
    const first = await stream.step(xt);
    return {
      output: first.data.slice(),
      run: async () => void (await stream.step(xt)),
      dispose: () => {
        stream.dispose();
        model.dispose();
      },
    };
  }
  const x = tensor(task.input, [shape.steps, shape.batch, shape.inputSize]);
  const first = await model.forward(x);
  return {
    output: first.output.data.slice(),
    run: async () => void (await model.forward(x)),
    dispose: () => model.dispose(),
  };
}

/** Every packages/backend-* of the workspace that has been built, created with its single
 * create*Backend export; backend-wasm also as a 2-thread row when it accepts `threads`.
 * What cannot be loaded is skipped with a note on stderr. */
export async function discoverBackends(note: (line: string) => void): Promise<Subject[]> {
  const root = findWorkspaceRoot();
  if (!root) {
    note('no pnpm workspace found above the bench: no gated backends');
    return [];
  }
  const packagesDir = join(root, 'packages');
  const dirs = readdirSync(packagesDir)
    .filter((d) => d.startsWith('backend-'))
    .sort((a, b) => preferredOrder(a) - preferredOrder(b) || a.localeCompare(b));
  const subjects: Subject[] = [];
  for (const dir of dirs) {
    const shortName = dir.slice('backend-'.length);
    try {
      const entry = builtEntry(join(packagesDir, dir));
      if (!entry) {
        note(`skipping packages/${dir}: not built (no dist entry)`);
        continue;
      }
      const factory = await loadFactory(entry);
      if (!factory) {
        note(`skipping packages/${dir}: no create*Backend export`);
        continue;
      }
      const backend = await factory();
      subjects.push(backendSubject(backend, [shortName, dir]));
      if (shortName === 'wasm') {
        const threaded = await createThreaded(factory, backend.name, note);
        if (threaded) subjects.push(backendSubject(threaded, [`${shortName}@2t`]));
      }
    } catch (error) {
      note(`skipping packages/${dir}: ${(error as Error).message}`);
    }
  }
  return subjects;
}

/** backend-ts first: the first backend row is the reference every other row is checked against. */
function preferredOrder(dir: string): number {
  return ['backend-ts', 'backend-wasm'].indexOf(dir) >>> 0;
}

async function createThreaded(
  factory: BackendFactory,
  baseName: string,
  note: (line: string) => void,
): Promise<Backend | null> {
  try {
    const backend = await factory({ threads: 2 });
    const threads = (backend as { threads?: unknown }).threads;
    if (typeof threads === 'number' && threads < 2) {
      backend.dispose();
      note(`no 2-thread row for ${baseName}: it runs on ${threads} thread with { threads: 2 }`);
      return null;
    }
    if (backend.name !== baseName) return backend;
    const name = `${baseName}@2t`;
    return {
      name,
      capabilities: backend.capabilities,
      compile: (config, weights) => backend.compile(config, weights),
      dispose: () => backend.dispose(),
    };
  } catch (error) {
    note(`no 2-thread row for ${baseName}: ${(error as Error).message}`);
    return null;
  }
}
