import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('.', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('entry points', () => {
  it('keeps vitest out of everything but the ./vitest subpath', () => {
    const importers = sourceFiles(SRC).filter((file) => /from 'vitest'/.test(readFileSync(file, 'utf8')));
    expect(importers.map((f) => f.slice(SRC.length))).toEqual(['vitest.ts']);
    expect(readFileSync(join(SRC, 'index.ts'), 'utf8')).not.toMatch(/vitest\.js/);
  });

  it('keeps Node-only modules out of the main entry, so browsers can bundle the reference', () => {
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      expect(text, file.slice(SRC.length)).not.toMatch(/from 'node:/);
      for (const [, relative] of text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
        visit(join(file, '..', `${relative}.ts`));
      }
    };
    visit(join(SRC, 'index.ts'));
    expect(seen.size).toBeGreaterThan(10);
  });
});
