import { readdirSync, readFileSync } from 'node:fs';
import { tensor } from '@gated/core';
import { importOnnx } from '@gated/onnx';
import { afterAll, describe, expect, it } from 'vitest';
import { createOnnxBackend } from './index.js';

interface FixtureTensor {
  shape: number[];
  data: number[];
}

// The torch.onnx.export fixtures of @gated/onnx: imported, re-exported and run by onnxruntime.
const dir = new URL('../../onnx/fixtures/', import.meta.url);
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.onnx'))
  .map((f) => f.slice(0, -5));

function maxAbsDifference(actual: Float32Array, expected: FixtureTensor): number {
  expect(actual.length).toBe(expected.data.length);
  return expected.data.reduce((max, v, i) => Math.max(max, Math.abs(actual[i] - v)), 0);
}

describe('onnx backend on PyTorch-exported models', async () => {
  const backend = await createOnnxBackend({ numThreads: 1 });
  afterAll(() => backend.dispose());

  for (const name of names) {
    it(`${name} reproduces PyTorch's output, h_n and c_n within 1e-5`, async () => {
      const fixture = JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as Record<
        string,
        FixtureTensor
      >;
      const { config, weights } = importOnnx(new Uint8Array(readFileSync(new URL(`${name}.onnx`, dir))));
      const model = await backend.compile(config, weights);
      const t = (f: FixtureTensor | undefined) =>
        f ? tensor(Float32Array.from(f.data), f.shape) : undefined;
      const { h0, c0 } = fixture;
      const result = await model.forward(t(fixture.input)!, {
        ...(h0 ? { h0: t(h0) } : {}),
        ...(c0 ? { c0: t(c0) } : {}),
      });
      expect(result.output.shape).toEqual(fixture.output.shape);
      expect(maxAbsDifference(result.output.data, fixture.output)).toBeLessThan(1e-5);
      expect(maxAbsDifference(result.h.data, fixture.h_n)).toBeLessThan(1e-5);
      if (fixture.c_n) expect(maxAbsDifference(result.c!.data, fixture.c_n)).toBeLessThan(1e-5);
      model.dispose();
    });
  }

  it('rejects a non-positive numThreads', async () => {
    await expect(createOnnxBackend({ numThreads: 0 })).rejects.toThrow(/options.numThreads/);
  });
});
