#!/usr/bin/env node
// The example: trains a character-level next-token model from scratch in Node on text from a
// seeded grammar and prints its held-out accuracy next to PyTorch's for the same model, data,
// initial weights, batch order and hyperparameters (fixtures/next-char-torch.json).
//
//   pnpm build && node packages/train/scripts/next-char.mjs [full|small] [--backend ts|wasm|reference]
//   node packages/train/scripts/next-char.mjs --torch   regenerates fixtures/next-char-torch.json
//                                                       (every setting; /usr/bin/python3 + torch)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NEXT_CHAR_SETTINGS, nextCharSpec, trainNextChar } from '../dist/examples/next-char.js';

/** The accuracy gap allowed between gated and PyTorch (see README: Example). */
const MARGIN = 0.01;
const fixture = new URL('../fixtures/next-char-torch.json', import.meta.url);
const args = process.argv.slice(2);
const digest = (spec) => createHash('sha256').update(JSON.stringify(spec)).digest('hex');

if (args.includes('--torch')) {
  const work = mkdtempSync(join(tmpdir(), 'gated-next-char-'));
  const results = {};
  try {
    for (const settings of Object.values(NEXT_CHAR_SETTINGS)) {
      const spec = nextCharSpec(settings);
      const path = join(work, `${settings.name}.json`);
      writeFileSync(path, JSON.stringify(spec));
      const script = new URL('../../../tools/train/next_char_torch.py', import.meta.url).pathname;
      const out = execFileSync(process.env.PYTHON ?? '/usr/bin/python3', [script, path], {
        encoding: 'utf8',
      });
      results[settings.name] = { ...JSON.parse(out), specSha256: digest(spec) };
      console.log(
        `${settings.name}: PyTorch held-out accuracy ${results[settings.name].accuracy.toFixed(4)}`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  writeFileSync(fixture, `${JSON.stringify(results, null, 2)}\n`);
  process.exit(0);
}

const name = args.find((a) => !a.startsWith('--') && NEXT_CHAR_SETTINGS[a]) ?? 'full';
const settings = NEXT_CHAR_SETTINGS[name];
const backendName = args.includes('--backend') ? args[args.indexOf('--backend') + 1] : 'ts';
const backend =
  backendName === 'reference'
    ? (await import('@gated/conformance')).createReferenceBackend()
    : backendName === 'wasm'
      ? await (await import('@gated/backend-wasm')).createWasmBackend()
      : await (await import('@gated/backend-ts')).createTsBackend();
const torch = JSON.parse(readFileSync(fixture, 'utf8'))[name];
if (torch.specSha256 !== digest(nextCharSpec(settings))) {
  console.warn('warning: the PyTorch result was made for other data or settings; rerun with --torch');
}
console.log(
  `${name}: ${settings.cell.toUpperCase()} H=${settings.hiddenSize}, T=${settings.steps}, ${settings.trainSequences} sequences × ${settings.epochs} epochs, batch ${settings.batchSize}, Adam lr ${settings.lr}, clip ${settings.clipNorm} — gated on ${backend.name}`,
);
const result = await trainNextChar(backend, settings, (p) => {
  if (p.kind === 'epoch') {
    console.log(
      `  epoch ${p.epoch + 1}/${p.epochs}: train loss ${p.loss.toFixed(4)}, accuracy ${p.accuracy.toFixed(4)} (${(p.ms / 1000).toFixed(1)} s)`,
    );
  }
});
backend.dispose();
const gap = Math.abs(result.accuracy - torch.accuracy);
console.log(`held-out accuracy: gated ${result.accuracy.toFixed(4)}, PyTorch ${torch.accuracy.toFixed(4)}`);
console.log(`held-out loss:     gated ${result.loss.toFixed(4)}, PyTorch ${torch.loss.toFixed(4)}`);
const ms = result.msPerUpdate;
console.log(
  `per update (ms): forward+backward ${ms.forwardBackward.toFixed(2)}, optimizer ${ms.update.toFixed(2)}, recompile ${ms.compile.toFixed(2)} (${result.updates} updates)`,
);
console.log(`|gap| ${gap.toFixed(6)} ${gap <= MARGIN ? '≤' : '>'} margin ${MARGIN}`);
process.exitCode = gap <= MARGIN ? 0 : 1;
