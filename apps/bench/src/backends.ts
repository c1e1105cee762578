import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BackendDeclaration, declaredBackends } from '@gated/conformance/workspace';
import { type Backend, isGatedError, tensor } from '@gated/core';
import { RELAXED_SIMD_FLAG } from './settings.js';
import {
  type DeviceWork,
  type PreparedRow,
  SkipRow,
  type Subject,
  type SubjectRef,
  type Task,
} from './subject.js';
import { prepareGatedTraining } from './training/gated-step.js';
import { loadTrainingKit } from './training/kit.js';
import { builtEntry, findWorkspaceRoot } from './workspace.js';

type BackendFactory = (options?: Record<string, unknown>) => Backend | Promise<Backend>;
type BackendRef = Extract<SubjectRef, { source: 'backend' }>;

/** The single create*Backend export of packages/<dir>, and the backends its package.json
 * declares (`gated.backends`: a name and the factory's options each; null when it declares
 * none); throws SkipRow saying why not. */
async function loadPackage(
  dir: string,
): Promise<{ factory: BackendFactory; declared: BackendDeclaration[] | null }> {
  const root = findWorkspaceRoot();
  if (!root) throw new SkipRow('no pnpm workspace found above the bench');
  const packageDir = join(root, 'packages', dir);
  const entry = builtEntry(packageDir);
  if (!entry) throw new SkipRow(`packages/${dir} is not built (no dist entry)`);
  const module = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  const name = Object.keys(module).find(
    (key) => /^create\w*Backend$/.test(key) && typeof module[key] === 'function',
  );
  if (!name) throw new SkipRow(`packages/${dir} has no create*Backend export`);
  const manifest: unknown = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  return { factory: module[name] as BackendFactory, declared: declaredBackends(manifest, `packages/${dir}`) };
}

/** backend-wasm's kernel build: 'relaxed-simd' (fused multiply-add) or 'simd128'. */
export function wasmBuild(backend: Backend): string | undefined {
  const relaxed = (backend as { relaxedSimd?: unknown }).relaxedSimd;
  return typeof relaxed === 'boolean' ? (relaxed ? 'relaxed-simd' : 'simd128') : undefined;
}

/** One call's submissions and dispatches, from the backend's `stats` counters read around an
 * extra call (backend-webgpu has them); null for backends without counters. */
export async function deviceWork(backend: Backend, row: PreparedRow): Promise<DeviceWork | null> {
  const read = () => (backend as { stats?: { submissions?: unknown; dispatches?: unknown } }).stats;
  const before = read();
  if (typeof before?.submissions !== 'number' || typeof before.dispatches !== 'number') return null;
  await row.run();
  const after = read() as { submissions: number; dispatches: number };
  return {
    submissions: after.submissions - before.submissions,
    dispatches: after.dispatches - before.dispatches,
  };
}

/** The rows of one gated backend: compile once per task, then time forward or step. */
export function backendSubject(backend: Backend, ref: BackendRef, aliases: readonly string[]): Subject {
  const build = wasmBuild(backend);
  return {
    name: ref.name,
    kind: 'backend',
    aliases,
    ref,
    prepare: async (task) => {
      const row = await prepareBackendRow(backend, task);
      const work = await deviceWork(backend, row);
      return { ...row, ...(build ? { build } : {}), ...(work ? { work } : {}) };
    },
    prepareTraining: async (task) => {
      if (!backend.capabilities.training) {
        throw new SkipRow(`${backend.name} does not train yet (capabilities.training is false)`);
      }
      const row = await prepareGatedTraining(backend, task, await loadTrainingKit());
      return { ...row, ...(build ? { build } : {}) };
    },
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

/** A backend subject created afresh from its ref (in a child process). */
export async function resolveBackend(ref: BackendRef): Promise<Subject> {
  const { factory } = await loadPackage(ref.dir);
  const backend = await factory(ref.options ? { ...ref.options } : undefined);
  if (ref.relaxedSimd && wasmBuild(backend) !== 'relaxed-simd') {
    backend.dispose();
    throw new SkipRow(
      `backend-wasm did not load its relaxed-SIMD build in a process started with ${RELAXED_SIMD_FLAG}`,
    );
  }
  return backendSubject(backend, ref, []);
}

/** The relaxed-SIMD row of backend-wasm: Node 20 compiles that build only with a flag, so it
 * runs in a child process started with it (Chrome ≥ 114 and Node ≥ 22 pick it by default). */
function relaxedWasmSubject(): Subject {
  const ref: BackendRef = { source: 'backend', name: 'wasm+relaxed', dir: 'backend-wasm', relaxedSimd: true };
  return {
    name: ref.name,
    kind: 'backend',
    aliases: ['wasm', 'backend-wasm', 'relaxed'],
    ref,
    nodeFlags: [RELAXED_SIMD_FLAG],
    prepare: () => Promise.reject(new Error('wasm+relaxed runs in a child process')),
    prepareTraining: () => Promise.reject(new Error('wasm+relaxed runs in a child process')),
  };
}

/** Every packages/backend-* of the workspace that has been built (packageSubjects), backend-ts
 * first. What cannot be loaded is skipped with a note on stderr. */
export async function discoverBackends(note: (line: string) => void): Promise<Subject[]> {
  const root = findWorkspaceRoot();
  if (!root) {
    note('no pnpm workspace found above the bench: no gated backends');
    return [];
  }
  const dirs = readdirSync(join(root, 'packages'))
    .filter((d) => d.startsWith('backend-'))
    .sort((a, b) => preferredOrder(a) - preferredOrder(b) || a.localeCompare(b));
  const subjects: Subject[] = [];
  for (const dir of dirs) subjects.push(...(await packageSubjects(dir, note)));
  return subjects;
}

/** The rows of packages/<dir>, created with its single create*Backend export: one per backend
 * its package.json declares (backend-onnx: onnx and onnx@node), else one without options;
 * backend-wasm also as a 2-thread row when it accepts `threads`, and as a relaxed-SIMD row where
 * this process runs its SIMD128 build. */
export async function packageSubjects(dir: string, note: (line: string) => void): Promise<Subject[]> {
  const shortName = dir.slice('backend-'.length);
  const subjects: Subject[] = [];
  try {
    const { factory, declared } = await loadPackage(dir);
    if (declared) {
      for (const declaration of declared) {
        const subject = await declaredSubject(factory, dir, declaration, note);
        if (subject) subjects.push(subject);
      }
      return subjects;
    }
    const backend = await factory();
    subjects.push(backendSubject(backend, { source: 'backend', name: backend.name, dir }, [shortName, dir]));
    if (shortName !== 'wasm') return subjects;
    if (wasmBuild(backend) === 'simd128') subjects.push(relaxedWasmSubject());
    else note(`no wasm+relaxed row: the ${backend.name} row already runs the relaxed-SIMD build here`);
    const threaded = await createThreaded(factory, backend.name, note);
    if (threaded) {
      const ref: BackendRef = { source: 'backend', name: `${backend.name}@2t`, dir, options: { threads: 2 } };
      subjects.push(backendSubject(threaded, ref, [`${shortName}@2t`]));
    }
  } catch (error) {
    note(`skipping packages/${dir}: ${(error as Error).message}`);
  }
  return subjects;
}

/** One declared backend of packages/<dir>, or null with a note when it does not load (an
 * optional runtime missing) or names itself otherwise than declared. */
async function declaredSubject(
  factory: BackendFactory,
  dir: string,
  { name, options }: BackendDeclaration,
  note: (line: string) => void,
): Promise<Subject | null> {
  const skip = (reason: string) => {
    note(`skipping ${name} (packages/${dir}): ${reason}`);
    return null;
  };
  let backend: Backend;
  try {
    backend = await factory(options ? { ...options } : undefined);
  } catch (error) {
    return skip((error as Error).message);
  }
  if (backend.name !== name) {
    backend.dispose();
    return skip(`expected the backend declared as '${name}', received one named '${backend.name}'`);
  }
  const ref: BackendRef = { source: 'backend', name, dir, ...(options ? { options } : {}) };
  return backendSubject(backend, ref, [dir.slice('backend-'.length), dir]);
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
    return backend;
  } catch (error) {
    note(`no 2-thread row for ${baseName}: ${(error as Error).message}`);
    return null;
  }
}
