import { GatedError, initWeights } from '@gated/core';
import type { InferenceSession } from 'onnxruntime-web';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOnnxBackend } from './index.js';
import type { OrtModule } from './onnx-runtime.js';
import { RUNTIMES } from './runtimes.test-helper.js';

const config = { cell: 'lstm', inputSize: 16, hiddenSize: 32, numLayers: 2 } as const;
const weights = initWeights(config, { seed: 3 });

/** Counts the sessions onnxruntime creates and how many of them are released. */
function countSessions(ort: OrtModule): { created: () => number; released: () => number } {
  const create = ort.InferenceSession.create.bind(ort.InferenceSession) as (
    ...args: unknown[]
  ) => Promise<InferenceSession>;
  let created = 0;
  let released = 0;
  vi.spyOn(ort.InferenceSession, 'create').mockImplementation((async (...args: unknown[]) => {
    const session = await create(...args);
    created++;
    const release = session.release.bind(session);
    session.release = () => {
      released++;
      return release();
    };
    return session;
  }) as OrtModule['InferenceSession']['create']);
  return { created: () => created, released: () => released };
}

describe.each(RUNTIMES)(
  '$name: backend.dispose() while compile() waits for onnxruntime',
  ({ ort, options }) => {
    afterEach(() => vi.restoreAllMocks());

    it('rejects the compile as DISPOSED and releases its session, every time', {
      timeout: 60_000,
    }, async () => {
      const sessions = countSessions(ort);
      const races = 100;
      for (let i = 0; i < races; i++) {
        const backend = await createOnnxBackend(options);
        const compiling = backend.compile(config, weights);
        backend.dispose();
        const error = await compiling.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(GatedError);
        expect((error as GatedError).code).toBe('DISPOSED');
      }
      expect(sessions.created()).toBe(races);
      expect(sessions.released()).toBe(races);
    });

    it('releases the session of a model disposed with its backend once its calls are done', async () => {
      const sessions = countSessions(ort);
      const backend = await createOnnxBackend(options);
      const model = await backend.compile(config, weights);
      backend.dispose();
      await expect(model.forward({ data: new Float32Array(16), shape: [1, 1, 16] })).rejects.toMatchObject({
        code: 'DISPOSED',
      });
      await vi.waitFor(() => expect(sessions.released()).toBe(1));
      expect(sessions.created()).toBe(1);
    });
  },
);
