import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Backend } from '@gated/core';
import { loadBackendFrom, packageEntry } from './load-backend.js';

/** Every DIR/packages/backend-* package whose built entry exists; the others are skipped with
 * a one-line note on `warn`. */
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
    const { name } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name?: string };
    const label = name ?? folder;
    const entry = packageEntry(packageDir);
    if (!existsSync(entry)) {
      warn(`gated-conformance: skipping ${label}: ${relative(dir, entry)} is not built (run pnpm build)`);
      continue;
    }
    try {
      backends.push(await loadBackendFrom(entry, undefined, label));
    } catch (error) {
      warn(`gated-conformance: skipping ${label}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return backends;
}
