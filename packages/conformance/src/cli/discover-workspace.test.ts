import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { declaredBackends, discoverWorkspaceBackends } from './discover-workspace.js';
import { factoryOf } from './load-backend.js';

const PACKAGE = new URL('../..', import.meta.url).pathname;
const CORE = join(PACKAGE, 'node_modules', '@gated', 'core', 'dist', 'index.js');
const REFERENCE_KERNELS = join(PACKAGE, 'dist', 'reference', 'reference-backend.js');

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A workspace whose packages/backend-<folder> are built, each a factory on the reference
 * kernels named `twin` plus `@variant` when options say so (a variant 'broken' throws). */
function workspace(packages: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gated-discover-'));
  temporary.push(dir);
  for (const [folder, gated] of Object.entries(packages)) {
    const packageDir = join(dir, 'packages', folder);
    mkdirSync(join(packageDir, 'dist'), { recursive: true });
    const manifest = { name: `@fake/${folder}`, type: 'module', main: './dist/index.js', gated };
    writeFileSync(join(packageDir, 'package.json'), JSON.stringify(manifest));
    writeFileSync(
      join(packageDir, 'dist', 'index.js'),
      `import { INFERENCE_CAPABILITIES, defineKernelBackend } from ${JSON.stringify(pathToFileURL(CORE).href)};
import { referenceKernels } from ${JSON.stringify(pathToFileURL(REFERENCE_KERNELS).href)};
export function createTwinBackend(options = {}) {
  if (options.variant === 'broken') throw new Error('this variant does not load');
  const name = options.variant ? 'twin@' + options.variant : 'twin';
  return defineKernelBackend({ name, capabilities: INFERENCE_CAPABILITIES, kernels: referenceKernels() });
}\n`,
    );
  }
  return dir;
}

async function discover(packages: Record<string, unknown>) {
  const notes: string[] = [];
  const backends = await discoverWorkspaceBackends(workspace(packages), (line) => notes.push(line));
  return { names: backends.map((b) => b.name), backends, notes };
}

describe('discoverWorkspaceBackends', () => {
  it('makes a backend of each configuration a package declares under gated.backends', async () => {
    const { names, backends, notes } = await discover({
      'backend-twin': { backends: [{ name: 'twin' }, { name: 'twin@b', options: { variant: 'b' } }] },
    });
    expect(notes).toEqual([]);
    expect(names).toEqual(['twin', 'twin@b']);
    // The factory the contract checks use for a fresh backend gives the same configuration.
    for (const backend of backends) {
      const fresh = await factoryOf(backend)?.();
      expect(fresh?.name).toBe(backend.name);
    }
  });

  it('calls the factory once without options where a package declares nothing', async () => {
    const { names, notes } = await discover({ 'backend-twin': undefined, 'backend-other': { other: true } });
    expect(notes).toEqual([]);
    expect(names).toEqual(['twin', 'twin']);
  });

  it("skips, with a note each, a configuration that fails or is not the declared one, and runs the package's others", async () => {
    const { names, notes } = await discover({
      'backend-twin': {
        backends: [
          { name: 'twin@broken', options: { variant: 'broken' } },
          { name: 'twin@c', options: { variant: 'x' } },
          { name: 'twin@b', options: { variant: 'b' } },
        ],
      },
    });
    expect(names).toEqual(['twin@b']);
    expect(notes).toEqual([
      expect.stringMatching(
        /^gated-conformance: skipping @fake\/backend-twin \(twin@broken\): .*does not load/,
      ),
      "gated-conformance: skipping @fake/backend-twin (twin@c): expected the backend declared as 'twin@c', received one named 'twin@x'",
    ]);
  });

  it('skips a package whose declaration is malformed, naming the field', async () => {
    const { names, notes } = await discover({ 'backend-twin': { backends: [{ name: 'twin', options: 3 }] } });
    expect(names).toEqual([]);
    expect(notes).toEqual([
      "gated-conformance: skipping @fake/backend-twin: @fake/backend-twin: package.json gated.backends[0].options: expected an object (the factory's options), received number",
    ]);
  });
});

describe('declaredBackends', () => {
  const declared = (gated: unknown) => declaredBackends({ gated }, 'pkg');

  it('reads { name, options? } entries, and null where nothing is declared', () => {
    expect(declaredBackends({}, 'pkg')).toBeNull();
    expect(declared({})).toBeNull();
    expect(declared({ backends: [{ name: 'a' }, { name: 'a@2', options: { threads: 2 } }] })).toEqual([
      { name: 'a' },
      { name: 'a@2', options: { threads: 2 } },
    ]);
  });

  it('rejects a malformed declaration, naming the field, the expected and the received', () => {
    const cases: [unknown, string][] = [
      ['yes', 'package.json gated: expected an object, received string'],
      [{ backends: {} }, 'gated.backends: expected a non-empty array of { name, options? }, received object'],
      [
        { backends: [] },
        'gated.backends: expected a non-empty array of { name, options? }, received an empty array',
      ],
      [{ backends: ['a'] }, 'gated.backends[0]: expected an object { name, options? }, received string'],
      [
        { backends: [{ options: {} }] },
        "gated.backends[0].name: expected the backend's name (a non-empty string), received undefined",
      ],
      [
        { backends: [{ name: 'a' }, { name: 'a' }] },
        "gated.backends[1].name: expected a name not declared before, received 'a' again",
      ],
      [
        { backends: [{ name: 'a', options: [1] }] },
        "gated.backends[0].options: expected an object (the factory's options), received an array",
      ],
    ];
    for (const [gated, message] of cases) expect(() => declared(gated), message).toThrow(message);
  });
});
