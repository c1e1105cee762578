import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Backend } from '@gated/core';

const FACTORY = /^create\w*Backend$/;

/** The import entry of a package directory: exports['.'] (import/node/default), main, index.js. */
export function packageEntry(packageDir: string): string {
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    exports?: unknown;
    main?: string;
  };
  const pick = (target: unknown): string | null => {
    if (typeof target === 'string') return target;
    if (typeof target !== 'object' || target === null) return null;
    const record = target as Record<string, unknown>;
    if ('.' in record) return pick(record['.']);
    for (const condition of ['import', 'node', 'default']) {
      const found = pick(record[condition]);
      if (found !== null) return found;
    }
    return null;
  };
  return join(packageDir, pick(pkg.exports) ?? pkg.main ?? 'index.js');
}

/** A package name resolved from `cwd` (node_modules upwards), or a file or directory path. */
export function resolveBackendModule(spec: string, cwd: string): string {
  const asPath = resolve(cwd, spec);
  if (existsSync(asPath)) return statSync(asPath).isDirectory() ? packageEntry(asPath) : asPath;
  for (let dir = cwd; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', spec);
    if (existsSync(join(candidate, 'package.json'))) return packageEntry(candidate);
    if (dirname(dir) === dir) break;
  }
  try {
    return createRequire(join(cwd, 'package.json')).resolve(spec);
  } catch {
    throw new Error(
      `--backend ${spec}: expected an installed package (from ${cwd}) or a path, found neither`,
    );
  }
}

function looksLikeBackend(value: unknown): value is Backend {
  const b = value as Backend;
  return (
    typeof b === 'object' &&
    b !== null &&
    typeof b.name === 'string' &&
    typeof b.compile === 'function' &&
    typeof b.capabilities === 'object'
  );
}

/** Imports `file` and calls `exportName`, or the one export named create…Backend, with
 * `options` when given (a configuration the package declares). */
export async function loadBackendFrom(
  file: string,
  exportName: string | undefined,
  label: string,
  options?: Readonly<Record<string, unknown>>,
): Promise<Backend> {
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  let name = exportName;
  if (name === undefined) {
    const factories = Object.keys(module).filter(
      (key) => FACTORY.test(key) && typeof module[key] === 'function',
    );
    if (factories.length !== 1) {
      throw new Error(
        `${label}: expected exactly one export named create…Backend, received ${factories.length === 0 ? 'none' : factories.join(', ')} (name one with #export)`,
      );
    }
    name = factories[0];
  }
  const factory = module[name];
  if (typeof factory !== 'function')
    throw new Error(`${label}: expected export '${name}' to be a function, received ${typeof factory}`);
  // The same call every time: the contract checks that need a fresh backend get this configuration.
  const create = () =>
    options === undefined
      ? (factory as () => unknown)()
      : (factory as (options: Record<string, unknown>) => unknown)({ ...options });
  const backend = await create();
  if (!looksLikeBackend(backend))
    throw new Error(`${label}: expected ${name}() to return a Backend { name, capabilities, compile }`);
  FACTORIES.set(backend, create as () => Promise<Backend>);
  return backend;
}

/** The factory each loaded backend came from, for the contract checks that need a fresh one. */
const FACTORIES = new WeakMap<Backend, () => Backend | Promise<Backend>>();

export function factoryOf(backend: Backend): (() => Backend | Promise<Backend>) | undefined {
  return FACTORIES.get(backend);
}

/** `--backend <package-or-path>[#export]` */
export async function loadBackend(spec: string, cwd: string): Promise<Backend> {
  const hash = spec.lastIndexOf('#');
  const target = hash > 0 ? spec.slice(0, hash) : spec;
  const exportName = hash > 0 ? spec.slice(hash + 1) : undefined;
  return loadBackendFrom(resolveBackendModule(target, cwd), exportName, `--backend ${spec}`);
}
