import { GatedError, initWeights, normalizeConfig, tensor } from '@gated/core';
import { exportOnnx } from '@gated/onnx';
import type { InferenceSession } from 'onnxruntime-web';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createOnnxBackend } from './index.js';
import { createSession, OnnxGraph } from './onnx-graph.js';
import { openRuntime } from './onnx-runtime.js';
import { RUNTIMES } from './runtimes.test-helper.js';

/** A file path of two or more segments, as onnxruntime's build paths are. */
const FILE_PATH = /(?:[A-Za-z]:)?(?:[\\/][\w.@+-]+){2,}/;

async function failure(promise: Promise<unknown>): Promise<GatedError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatedError);
  return error as GatedError;
}

// A GRU whose input projection for T = 2,000,000 steps (3·256 values per step) is more bytes
// than a 32-bit size holds: onnxruntime-web refuses the run at once, before computing anything;
// it is also more than gated lets one request take (2^31 values), so both runtimes refuse the
// forward before onnxruntime sees it.
const config = normalizeConfig({ cell: 'gru', inputSize: 1, hiddenSize: 256, bias: false });
const weights = initWeights(config, { seed: 1 });
const HUGE_T = 2_000_000;

describe.each(RUNTIMES)(
  '$name: onnxruntime failures',
  async ({ name, runtime: runtimeName, ort, options }) => {
    const runtime = await openRuntime({ name: runtimeName }, 1);
    /** Where every session's run() lives (InferenceSession is typed as a factory, not a class). */
    const sessionPrototype = (ort.InferenceSession as unknown as { prototype: InferenceSession }).prototype;
    const session = await createSession(
      runtime,
      exportOnnx(config, weights, { initialState: true, sequenceLens: true }),
    );
    const graph = new OnnxGraph(config, runtime, session, 0);
    afterAll(() => graph.release());
    const run = (steps: number, x = new Float32Array(steps)) =>
      graph.enqueue(() =>
        graph.run({ x, steps, batch: 1, seqLens: Int32Array.of(steps), h0: new Float32Array(256), c0: null }),
      );

    it('a model onnxruntime cannot load is BACKEND_UNAVAILABLE, with its reason and the cause', async () => {
      const error = await failure(createSession(runtime, new Uint8Array([8, 1, 18, 3, 255, 255, 255])));
      expect(error.code).toBe('BACKEND_UNAVAILABLE');
      expect(error.message).toMatch(
        new RegExp(`^backend '${name}': ${runtimeName} could not load the model: .*protobuf`),
      );
      expect(error.cause).toBeInstanceOf(Error);
    });

    // onnxruntime-web only: natively such a run would go ahead and allocate gigabytes.
    // (Declared for the web runtime only, rather than skipped on node.)
    if (runtimeName === 'onnxruntime-web') {
      it('a run onnxruntime refuses as too large is INVALID_INPUT, without onnxruntime build paths', async () => {
        const error = await failure(run(HUGE_T));
        expect(error.code).toBe('INVALID_INPUT');
        expect(error.message).toMatch(/could not run the model: .*overflow/i);
        // The raw reason names a source file of onnxruntime's build machine; ours does not.
        expect((error.cause as Error).message).toMatch(FILE_PATH);
        expect(error.message).not.toMatch(FILE_PATH);
        // The session is still usable.
        const ok = await run(3, Float32Array.of(0.5, -0.5, 1));
        expect(ok.y).toHaveLength(3 * 256);
      });
    }

    it('a tensor onnxruntime cannot create is a GatedError too', async () => {
      const error = await failure(run(3, new Float32Array(5)));
      expect(error.code).toBe('BACKEND_UNAVAILABLE');
      expect(error.message).toMatch(/could not run the model/);
    });

    it('forward refuses such a request as INVALID_INPUT before onnxruntime runs anything', async () => {
      const backend = await createOnnxBackend(options);
      const model = await backend.compile(config, weights);
      const runSpy = vi.spyOn(sessionPrototype, 'run');
      try {
        const error = await failure(model.forward(tensor(new Float32Array(HUGE_T), [HUGE_T, 1, 1])));
        expect(error.code).toBe('INVALID_INPUT');
        expect(error.message).toMatch(/^x: .*split the batch or the sequence/);
        expect(runSpy).not.toHaveBeenCalled();
        // The model still works (and the spy does see a run that goes ahead).
        expect((await model.forward(tensor(new Float32Array(4), [4, 1, 1]))).output.shape).toEqual([
          4, 1, 256,
        ]);
        expect(runSpy).toHaveBeenCalledTimes(1);
      } finally {
        runSpy.mockRestore();
      }
      backend.dispose();
    });

    it('creates sessions with onnxruntime graph optimizations off', async () => {
      // Its optimizer finds nothing to improve in these graphs (outputs are bit-identical without
      // it), and its passes cost more than linear time in the node count: compile of a 256-layer
      // LSTM drops from about 0.5 s to 0.2 s (README).
      const create = vi.spyOn(ort.InferenceSession, 'create');
      try {
        const loaded = await createSession(runtime, exportOnnx(config, weights));
        await loaded.release();
        expect(create).toHaveBeenCalledTimes(1);
        expect(create.mock.calls[0][1]).toMatchObject({ graphOptimizationLevel: 'disabled' });
      } finally {
        create.mockRestore();
      }
    });

    it('a session onnxruntime no longer holds is BACKEND_UNAVAILABLE, not a plain Error', async () => {
      const lost = await createSession(
        runtime,
        exportOnnx(config, weights, { initialState: true, sequenceLens: true }),
      );
      await lost.release();
      const orphan = new OnnxGraph(config, runtime, lost, 0);
      const error = await failure(
        orphan.run({
          x: new Float32Array(1),
          steps: 1,
          batch: 1,
          seqLens: Int32Array.of(1),
          h0: new Float32Array(256),
          c0: null,
        }),
      );
      expect(error.code).toBe('BACKEND_UNAVAILABLE');
    });
  },
);
