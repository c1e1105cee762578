import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding pnpm-workspace.yaml above this file. */
export function findWorkspaceRoot(from = dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** The built entry file of a package directory, or null when it has not been built. */
export function builtEntry(packageDir: string): string | null {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const root = manifest.exports?.['.'];
  const relative =
    typeof root === 'string' ? root : (root?.default ?? root?.import ?? manifest.main ?? 'dist/index.js');
  const entry = join(packageDir, relative);
  return existsSync(entry) ? entry : null;
}
