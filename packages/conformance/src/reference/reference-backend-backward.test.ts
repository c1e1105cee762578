import {
  createRandom,
  defineKernelBackend,
  GatedError,
  INFERENCE_CAPABILITIES,
  initWeights,
  normalizeConfig,
  numDirections,
  outputSize,
  type RecurrentConfig,
  tensor,
  uniformArray,
} from '@gated/core';
import { describe, expect, it } from 'vitest';
import { createReferenceBackend, referenceKernels } from './reference-backend.js';
import { referenceBackward } from './reference-backward.js';

// Core's orchestration over the reference kernels (model.recordForward → backward) against the
// float64 entry point referenceBackward on the same f32 values: the kernels compute in float64
// too, so the two differ only by the final rounding to f32 (relative 6e-8); 1e-6 leaves room
// for nothing else.
const TOLERANCE = 1e-6;

interface Problem {
  config: RecurrentConfig;
  steps: number;
  batch: number;
  seqLens?: number[];
}

function setUp({ config, steps: T, batch: B, seqLens }: Problem) {
  const cfg = normalizeConfig(config);
  const random = createRandom(11);
  const D = numDirections(cfg);
  const Hout = outputSize(cfg);
  const states = cfg.numLayers * D;
  const lstm = cfg.cell === 'lstm';
  const weights = initWeights(cfg, { seed: 2 });
  const x = tensor(
    uniformArray(T * B * cfg.inputSize, -1, 1, random),
    cfg.batchFirst ? [B, T, cfg.inputSize] : [T, B, cfg.inputSize],
  );
  const h0 = tensor(uniformArray(states * B * Hout, -1, 1, random), [states, B, Hout]);
  const c0 = lstm
    ? tensor(uniformArray(states * B * cfg.hiddenSize, -1, 1, random), [states, B, cfg.hiddenSize])
    : undefined;
  const output = tensor(
    uniformArray(T * B * D * Hout, -1, 1, random),
    cfg.batchFirst ? [B, T, D * Hout] : [T, B, D * Hout],
  );
  const h = tensor(uniformArray(states * B * Hout, -1, 1, random), [states, B, Hout]);
  const c = lstm
    ? tensor(uniformArray(states * B * cfg.hiddenSize, -1, 1, random), [states, B, cfg.hiddenSize])
    : undefined;
  const options = { h0, c0, seqLens: seqLens === undefined ? undefined : Int32Array.from(seqLens) };
  return { cfg, weights, x, options, upstream: { output, h, c } };
}

function expectClose(received: Float32Array, expected: Float64Array, what: string): void {
  expect(received.length, what).toBe(expected.length);
  let worst = 0;
  for (let k = 0; k < expected.length; k++) {
    worst = Math.max(worst, Math.abs(received[k] - expected[k]) / Math.max(1, Math.abs(expected[k])));
  }
  expect(worst, what).toBeLessThanOrEqual(TOLERANCE);
}

const problems: [string, Problem][] = [
  [
    'a 2-layer bidirectional LSTM with peepholes, projection, clip, batchFirst and seqLens 0 and T',
    {
      config: {
        cell: 'lstm',
        inputSize: 3,
        hiddenSize: 4,
        numLayers: 2,
        bidirectional: true,
        peephole: true,
        projSize: 2,
        clip: 0.5,
        batchFirst: true,
      },
      steps: 4,
      batch: 3,
      seqLens: [4, 0, 2],
    },
  ],
  [
    'a coupled LSTM without bias',
    {
      config: { cell: 'lstm', inputSize: 3, hiddenSize: 4, coupledInputForget: true, bias: false },
      steps: 3,
      batch: 2,
    },
  ],
  [
    'a bidirectional GRU with resetAfter false and seqLens',
    {
      config: { cell: 'gru', inputSize: 3, hiddenSize: 4, resetAfter: false, bidirectional: true },
      steps: 4,
      batch: 2,
      seqLens: [1, 4],
    },
  ],
  [
    'a 2-layer GRU with resetAfter',
    { config: { cell: 'gru', inputSize: 3, hiddenSize: 4, numLayers: 2 }, steps: 3, batch: 2 },
  ],
  [
    'a relu RNN',
    { config: { cell: 'rnn', inputSize: 3, hiddenSize: 4, nonlinearity: 'relu' }, steps: 3, batch: 2 },
  ],
];

describe('the reference backend trains: recordForward → backward through core orchestration', () => {
  it('declares training', () => {
    expect(createReferenceBackend().capabilities.training).toBe(true);
  });

  for (const [name, problem] of problems) {
    it(`gives referenceBackward's gradients for ${name}`, async () => {
      const s = setUp(problem);
      const backend = createReferenceBackend();
      const model = await backend.compile(s.cfg, s.weights);
      const recorded = await model.recordForward(s.x, s.options);
      const forward = await model.forward(s.x, s.options);
      expect(recorded.output).toEqual(forward.output);
      expect(recorded.h).toEqual(forward.h);

      const grads = await recorded.backward(s.upstream);
      const expected = referenceBackward(
        s.cfg,
        s.weights,
        s.x,
        { h0: s.options.h0.data, c0: s.options.c0?.data, seqLens: s.options.seqLens },
        { output: s.upstream.output.data, h: s.upstream.h.data, c: s.upstream.c?.data },
      );
      expect(Object.keys(grads.weights).sort()).toEqual(Object.keys(s.weights).sort());
      for (const [tensorName, values] of Object.entries(expected.weights)) {
        expectClose(grads.weights[tensorName], values, tensorName);
      }
      expect(grads.x.shape).toEqual(expected.xShape);
      expectClose(grads.x.data, expected.x, 'x');
      expect(grads.h0.shape).toEqual(expected.h0Shape);
      expectClose(grads.h0.data, expected.h0, 'h0');
      if (expected.c0) {
        expect(grads.c0!.shape).toEqual(expected.c0Shape);
        expectClose(grads.c0!.data, expected.c0, 'c0');
      } else {
        expect(grads.c0).toBeUndefined();
      }
      // Each backward is independent: a second call gives the same, nothing accumulates.
      const again = await recorded.backward(s.upstream);
      expect(again.weights).toEqual(grads.weights);
      expect(again.x).toEqual(grads.x);
      recorded.release();
      backend.dispose();
    });
  }

  it('gives zeros without upstream gradients', async () => {
    const s = setUp(problems[2][1]);
    const model = await createReferenceBackend().compile(s.cfg, s.weights);
    const grads = await (await model.recordForward(s.x, s.options)).backward();
    for (const values of [...Object.values(grads.weights), grads.x.data, grads.h0.data]) {
      expect(values.every((v) => v === 0)).toBe(true);
    }
  });
});

/** The reference kernels counting live buffers (alloc minus free). */
function countingBackend() {
  const kernels = referenceKernels();
  const live = new Set<Float64Array>();
  const backend = defineKernelBackend({
    name: 'counting-reference',
    capabilities: createReferenceBackend().capabilities,
    kernels: {
      ...kernels,
      alloc: (length) => {
        const buffer = kernels.alloc(length);
        live.add(buffer);
        return buffer;
      },
      free: (buffer) => {
        live.delete(buffer);
        kernels.free(buffer);
      },
    },
  });
  return { backend, live };
}

async function rejection(promise: Promise<unknown>): Promise<GatedError> {
  try {
    await promise;
  } catch (error) {
    return error as GatedError;
  }
  throw new Error('expected a rejection');
}

describe('a recorded forward of the reference backend', () => {
  const problem = problems[0][1];

  it('holds its layer inputs and tapes until release(), then frees them; backward after it is DISPOSED', async () => {
    const s = setUp(problem);
    const { backend, live } = countingBackend();
    const model = await backend.compile(s.cfg, s.weights);
    const recorded = await model.recordForward(s.x, s.options);
    // 2 layer inputs + 4 tapes (2 layers × 2 directions).
    expect(live.size).toBe(6);
    await recorded.backward(s.upstream);
    expect(live.size).toBe(6);
    recorded.release();
    expect(live.size).toBe(0);
    recorded.release();
    const error = await rejection(recorded.backward(s.upstream));
    expect(error).toBeInstanceOf(GatedError);
    expect(error.code).toBe('DISPOSED');
    // The model itself is unaffected.
    await expect(model.forward(s.x, s.options)).resolves.toBeDefined();
  });

  it('is released by model.dispose(): its buffers are freed and backward is DISPOSED', async () => {
    const s = setUp(problem);
    const { backend, live } = countingBackend();
    const model = await backend.compile(s.cfg, s.weights);
    const first = await model.recordForward(s.x, s.options);
    const second = await model.recordForward(s.x, s.options);
    expect(live.size).toBe(12);
    model.dispose();
    expect(live.size).toBe(0);
    for (const recorded of [first, second]) {
      const error = await rejection(recorded.backward(s.upstream));
      expect(error.code).toBe('DISPOSED');
    }
  });

  it('is released by backend.dispose() too', async () => {
    const s = setUp(problem);
    const { backend, live } = countingBackend();
    const model = await backend.compile(s.cfg, s.weights);
    const recorded = await model.recordForward(s.x, s.options);
    backend.dispose();
    expect(live.size).toBe(0);
    expect((await rejection(recorded.backward(s.upstream))).code).toBe('DISPOSED');
  });

  it('is refused as UNSUPPORTED on the same kernels declared without training, and for thresholdedRelu', async () => {
    const s = setUp(problems[4][1]);
    const inference = defineKernelBackend({
      name: 'inference-reference',
      capabilities: INFERENCE_CAPABILITIES,
      kernels: referenceKernels(),
    });
    const model = await inference.compile(s.cfg, s.weights);
    expect((await rejection(model.recordForward(s.x))).code).toBe('UNSUPPORTED');
    const thresholded = await createReferenceBackend().compile(
      { ...problems[4][1].config, nonlinearity: undefined, activations: { candidate: 'thresholdedRelu' } },
      s.weights,
    );
    const error = await rejection(thresholded.recordForward(s.x));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toMatch(/thresholdedRelu/);
  });
});
