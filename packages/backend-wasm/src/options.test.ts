import { availableParallelism } from 'node:os';
import { GatedError } from '@gated/core';
import { describe, expect, it, vi } from 'vitest';
import { createWasmBackend, type WasmBackendOptions } from './create-backend.js';

async function expectInvalidConfig(options: unknown, mention: string) {
  const error = await createWasmBackend(options as WasmBackendOptions).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(GatedError);
  expect((error as GatedError).code).toBe('INVALID_CONFIG');
  expect((error as GatedError).message).toContain(mention);
}

describe('createWasmBackend options', () => {
  it('refuses a bad memoryPages or threads as INVALID_CONFIG naming the option', async () => {
    for (const memoryPages of [0, 1.5, 65537, '16', Number.NaN])
      await expectInvalidConfig({ memoryPages }, 'memoryPages');
    for (const threads of [0, -1, 2.5, '2', 257, Number.POSITIVE_INFINITY])
      await expectInvalidConfig({ threads }, 'threads');
  });

  it('refuses options that are not an object, and unknown keys with a suggestion', async () => {
    for (const options of [5, 'threads', [], null]) await expectInvalidConfig(options, 'options');
    await expectInvalidConfig({ thread: 2 }, 'did you mean threads');
  });

  it('clamps threads to what the machine runs in parallel, with one warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const limit = availableParallelism();
      const requested = limit + 62;
      for (let i = 0; i < 2; i++) {
        const backend = await createWasmBackend({ threads: requested });
        expect(backend.threads).toBeLessThanOrEqual(limit);
        backend.dispose();
      }
      expect(
        warn.mock.calls.filter((call) => String(call[0]).includes(`threads = ${requested}`)),
      ).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });

  it('accepts undefined options and undefined values as the defaults', async () => {
    const backend = await createWasmBackend({ threads: undefined, memoryPages: undefined });
    expect(backend.threads).toBe(1);
    expect(backend.memoryBytes).toBe(16 * 65536);
    backend.dispose();
  });
});
