import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Backend } from '@gated/core';
import { declaredBackends } from './declared-backends.js';
import { loadBackendFrom, packageEntry } from './load-backend.js';

export { type BackendDeclaration, declaredBackends } from './declared-backends.js';

/** Every backend of every DIR/packages/backend-* package whose built entry exists: one per
 * configuration its package.json declares under `gated.backends`, else its factory called once
 * without options. What is not built, or does not load, is skipped with a one-line note on `warn`. */
export async function discoverWorkspaceBackends(
  dir: string,
  warn: (line: string) => void,
): Promise<Backend[]> {
  const packagesDir = join(dir, 'packages');
  if (!existsSync(packagesDir))
    throw new Error(`--workspace ${dir}: expected a packages/ folder, found none`);
  const backends: Backend[] = [];
  for (const folder of readdirSync(packagesDir)
    .filter((name) => name.startsWith('backend-'))
    .sort()) {
    const packageDir = join(packagesDir, folder);
    if (!existsSync(join(packageDir, 'package.json'))) continue;
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name?: string };
    const label = manifest.name ?? folder;
    const entry = packageEntry(packageDir);
    if (!existsSync(entry)) {
      warn(`gated-conformance: skipping ${label}: ${relative(dir, entry)} is not built (run pnpm build)`);
      continue;
    }
    try {
      const declared = declaredBackends(manifest, label);
      if (declared === null) {
        backends.push(await loadBackendFrom(entry, undefined, label));
        continue;
      }
      for (const { name, options } of declared) {
        const backend = await loadDeclared(entry, `${label} (${name})`, name, options, warn);
        if (backend) backends.push(backend);
      }
    } catch (error) {
      warn(`gated-conformance: skipping ${label}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return backends;
}

/** One declared configuration; null (with a note) when it does not load or names itself
 * otherwise than declared, so that the package's other configurations still run. */
async function loadDeclared(
  entry: string,
  label: string,
  name: string,
  options: Readonly<Record<string, unknown>> | undefined,
  warn: (line: string) => void,
): Promise<Backend | null> {
  const skip = (reason: string) => {
    warn(`gated-conformance: skipping ${label}: ${reason}`);
    return null;
  };
  let backend: Backend;
  try {
    backend = await loadBackendFrom(entry, undefined, label, options);
  } catch (error) {
    return skip(error instanceof Error ? error.message : String(error));
  }
  if (backend.name === name) return backend;
  backend.dispose();
  return skip(`expected the backend declared as '${name}', received one named '${backend.name}'`);
}
