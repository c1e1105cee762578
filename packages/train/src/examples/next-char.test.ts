import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createTsBackend } from '@gated/backend-ts';
import { createWasmBackend } from '@gated/backend-wasm';
import { createReferenceBackend } from '@gated/conformance';
import type { Backend } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { NEXT_CHAR_SETTINGS, nextCharDataset, nextCharSpec, trainNextChar, VOCABULARY } from './next-char.js';

// PyTorch's result for each setting (tools/train/next_char_torch.py via
// `node scripts/next-char.mjs --torch`), with the digest of the spec it trained on.
const torch = JSON.parse(
  readFileSync(new URL('../../fixtures/next-char-torch.json', import.meta.url), 'utf8'),
);
/** The accuracy gap allowed (README: Example): same initial weights, data, batch order and
 * hyperparameters, so only f32 rounding differs; observed 0 to 4 decimals. */
const MARGIN = 0.01;
const small = NEXT_CHAR_SETTINGS.small;

describe('the next-character example (small version)', () => {
  it('gives PyTorch the data, initial weights and batch order its committed result was trained on', () => {
    const spec = nextCharSpec(small);
    expect(createHash('sha256').update(JSON.stringify(spec)).digest('hex')).toBe(torch.small.specSha256);
  });

  it('writes one-hot inputs and the text shifted by one as targets', () => {
    const data = nextCharDataset('the cat. ', 4);
    expect(data.x.shape).toEqual([2, 4, VOCABULARY.length]);
    expect(data.x.data[VOCABULARY.indexOf('t')]).toBe(1);
    expect(Array.from(data.target.data, (k) => VOCABULARY[k]).join('')).toBe('he cat. ');
  });

  for (const [name, create] of [
    ['reference', async () => createReferenceBackend()],
    ['ts', () => createTsBackend()],
    ['wasm', () => createWasmBackend()],
  ] as [string, () => Promise<Backend>][]) {
    it(`trains from scratch on ${name} to PyTorch's held-out accuracy within ${MARGIN}`, async () => {
      const backend = await create();
      const result = await trainNextChar(backend, small);
      backend.dispose();
      expect(result.updates).toBe(small.epochs * Math.ceil(small.trainSequences / small.batchSize));
      expect(result.accuracy).toBeGreaterThan(0.6); // it learned (a space, the commonest character, is 21% of the text)
      expect(Math.abs(result.accuracy - torch.small.accuracy)).toBeLessThanOrEqual(MARGIN);
      expect(Math.abs(result.loss - torch.small.loss)).toBeLessThan(0.01);
    }, 60_000); // ≈ 3 s on the reference, 1 s on ts, 0.3 s on wasm when the machine is idle
  }
});
