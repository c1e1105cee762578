import { readFile } from 'node:fs/promises';
import { createTsBackend } from '@gated/backend-ts';
import { readSafetensors, weightsFromSafetensors } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { encodeText } from './encode-text.js';
import { applyHead } from './linear-head.js';

const MODELS = new URL('../../public/models/', import.meta.url);

async function sidecar(name: string) {
  return JSON.parse(await readFile(new URL(`${name}.json`, MODELS), 'utf8'));
}

describe('the bundled models', () => {
  for (const name of ['brackets-lstm', 'brackets-gru']) {
    it(`${name}: the page's forward and head give PyTorch's recorded outputs within 1e-5`, async () => {
      const meta = await sidecar(name);
      const file = readSafetensors(new Uint8Array(await readFile(new URL(`${name}.safetensors`, MODELS))));
      const weights = weightsFromSafetensors(meta.config, file, { prefix: meta.weightsPrefix });
      const backend = await createTsBackend();
      const model = await backend.compile(meta.config, weights);
      const x = encodeText(meta.example.text, meta.task.vocabulary, meta.config.inputSize);
      const { output } = await model.forward(x);
      const head = {
        weight: file.tensors['head.weight'].data,
        bias: file.tensors['head.bias'].data,
        classes: [],
      };
      const logits = applyHead(head, output.data, x.shape[0]);
      backend.dispose();
      const diff = (a: ArrayLike<number>, b: number[]) =>
        b.reduce((m, v, k) => Math.max(m, Math.abs(v - a[k])), a.length === b.length ? 0 : Infinity);
      expect(diff(output.data, meta.example.output)).toBeLessThanOrEqual(1e-5);
      expect(diff(logits, meta.example.logits)).toBeLessThanOrEqual(1e-5);
    });

    it(`${name}: is under 1 MB and records a held-out accuracy above 99 %`, async () => {
      const meta = await sidecar(name);
      const bytes = await readFile(new URL(`${name}.safetensors`, MODELS));
      expect(bytes.length).toBeLessThan(1 << 20);
      expect(meta.accuracy.perStep).toBeGreaterThan(0.99);
    });
  }
});

describe('encodeText', () => {
  it('maps the vocabulary to its columns and any other character to the last', () => {
    const x = encodeText('(x)', ['(', ')', '.'], 3);
    expect(x.shape).toEqual([3, 1, 3]);
    expect(Array.from(x.data)).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0]);
  });
});
