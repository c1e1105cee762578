#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderReadme } from './readme.js';

/** `pnpm --filter @gated/bench readme`: regenerates the README's flag and JSON tables. */
const path = fileURLToPath(new URL('../README.md', import.meta.url));
const before = readFileSync(path, 'utf8');
const after = renderReadme(before);
if (after !== before) writeFileSync(path, after);
process.stdout.write(`${after === before ? 'README.md is up to date' : 'README.md updated'}\n`);
