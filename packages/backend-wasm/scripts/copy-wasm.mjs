// Puts the four gated*.wasm builds next to dist/load-module.js, where `new URL('./gated.wasm', import.meta.url)` finds it.
import { copyFile } from 'node:fs/promises';

const root = new URL('../', import.meta.url);
for (const name of ['gated.wasm', 'gated-threads.wasm', 'gated-relaxed.wasm', 'gated-threads-relaxed.wasm']) {
  await copyFile(new URL(`build/${name}`, root), new URL(`dist/${name}`, root));
}
