import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createTfjsBackend } from './index.js';

describe('createTfjsBackend options', () => {
  it('is named after the tfjs backend it runs on, by default the current one', async () => {
    const wasm = await createTfjsBackend({ tf, backend: 'wasm' });
    expect(wasm.name).toBe('tfjs@wasm');
    // Registered (imported) and initialised by the factory; tf's current backend untouched.
    (await createTfjsBackend({ tf, backend: 'cpu' })).dispose();
    await tf.setBackend('cpu');
    const current = await createTfjsBackend({ tf });
    expect(current.name).toBe('tfjs@cpu');
    expect(tf.getBackend()).toBe('cpu');
    wasm.dispose();
    current.dispose();
  });

  it('finds @tensorflow/tfjs-core in the module graph when no tf is given', async () => {
    const backend = await createTfjsBackend({ backend: 'cpu' });
    expect(backend.name).toBe('tfjs@cpu');
    backend.dispose();
  });

  it('refuses bad options naming the option', async () => {
    await expect(createTfjsBackend({ tf, backnd: 'cpu' } as never)).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: expect.stringContaining('did you mean backend?'),
    });
    await expect(createTfjsBackend({ tf, backend: 42 } as never)).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: expect.stringContaining('options.backend'),
    });
    await expect(createTfjsBackend({ tf: {} })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: expect.stringContaining('options.tf'),
    });
    await expect(createTfjsBackend({ tf, backend: 'nope' })).rejects.toMatchObject({
      code: 'BACKEND_UNAVAILABLE',
      message: expect.stringContaining('"nope"'),
    });
  });
});
