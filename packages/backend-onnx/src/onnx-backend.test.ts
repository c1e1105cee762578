import { availableParallelism } from 'node:os';
import { GatedError } from '@gated/core';
import * as ort from 'onnxruntime-web';
import { describe, expect, it, vi } from 'vitest';
import { createOnnxBackend, type OnnxBackendOptions } from './index.js';

async function expectInvalidConfig(options: unknown, mention: string): Promise<void> {
  const error = await createOnnxBackend(options as OnnxBackendOptions).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(GatedError);
  expect((error as GatedError).code).toBe('INVALID_CONFIG');
  expect((error as GatedError).message).toContain(mention);
}

// PyTorch-exported models run on this backend in @gated/onnx's fixtures test (every backend).
describe('createOnnxBackend', () => {
  it('rejects a numThreads that is not a positive integer, naming it', async () => {
    for (const numThreads of [0, -1, 1.5, '2', Number.NaN, Number.POSITIVE_INFINITY, 257]) {
      await expectInvalidConfig({ numThreads }, 'options.numThreads');
    }
  });

  it('rejects options that are not an object, and unknown keys with a suggestion', async () => {
    for (const options of [5, 'numThreads', [], null]) await expectInvalidConfig(options, 'options');
    await expectInvalidConfig({ numThread: 2 }, 'did you mean numThreads');
    await expectInvalidConfig({ numThreads: 1, executionProviders: ['webgpu'] }, 'executionProviders');
  });

  it('clamps numThreads to what the machine runs in parallel, with one warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const before = ort.env.wasm.numThreads;
    try {
      const limit = availableParallelism();
      const requested = limit + 30;
      for (let i = 0; i < 2; i++) {
        const backend = await createOnnxBackend({ numThreads: requested });
        expect(ort.env.wasm.numThreads).toBe(limit);
        backend.dispose();
      }
      expect(
        warn.mock.calls.filter((call) => String(call[0]).includes(`numThreads = ${requested}`)),
      ).toHaveLength(1);
    } finally {
      ort.env.wasm.numThreads = before;
      warn.mockRestore();
    }
  });

  it('accepts no options, and undefined values, as the defaults', async () => {
    (await createOnnxBackend()).dispose();
    (await createOnnxBackend({ numThreads: undefined })).dispose();
  });

  it('declares what ONNX cannot express as unsupported', async () => {
    const backend = await createOnnxBackend({ numThreads: 1 });
    expect(backend.capabilities.features).not.toContain('projection');
    expect(backend.capabilities.features).not.toContain('returnGates');
    expect(backend.capabilities.features).toContain('seqLens');
    backend.dispose();
  });
});
