import { GatedError, initWeights, type RecurrentConfig, type RecurrentModel, tensor } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { kernelsUnderTest } from './kernels.test-helper.js';

const VICTIM: RecurrentConfig = { cell: 'lstm', inputSize: 4, hiddenSize: 8 };
const x = tensor(
  new Float32Array(3 * 2 * 4).map((_, i) => Math.sin(i)),
  [3, 2, 4],
);

/** A Float32Array whose `length` property lies: it says 4 whatever its true size. */
class LyingLength extends Float32Array {
  override get length(): number {
    return 4;
  }
}

/** A 4-float buffer allocated just below a model's weights (so a write running past it lands in
 * them), the model, and its output before any attack. */
async function bufferBelowAModel() {
  const t = await kernelsUnderTest();
  const buffer = t.kernels.alloc(4);
  const model = await t.backend.compile(VICTIM, initWeights(VICTIM, { seed: 3 }));
  const before = (await model.forward(x)).output.data;
  expect(t.heap.blockBytes(buffer.ptr)).toBe(64);
  return { ...t, buffer, model, before };
}

async function expectUnchanged(model: RecurrentModel, before: Float32Array) {
  expect((await model.forward(x)).output.data).toEqual(before);
}

const expectGated = (code: string, run: () => unknown) => {
  let error: unknown;
  try {
    run();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(GatedError);
  expect((error as GatedError).code).toBe(code);
};

describe('wasm kernels bounds-check every copy into and out of memory', () => {
  it('refuse a write of an array larger than its buffer, leaving the next model intact', async () => {
    const { kernels, buffer, model, before } = await bufferBelowAModel();
    expectGated('INVALID_INPUT', () => kernels.write(buffer, new Float32Array(100_000).fill(1e6)));
    await expectUnchanged(model, before);
  });

  it('read the true length of a Float32Array whose length property lies', async () => {
    const { kernels, buffer, model, before } = await bufferBelowAModel();
    const lying = new LyingLength(100_000).fill(1e6);
    expect(lying.length).toBe(4);
    expectGated('INVALID_INPUT', () => kernels.write(buffer, lying));
    await expectUnchanged(model, before);
  });

  it('refuse offsets past the end, non-Float32Array data, and freed buffers', async () => {
    const { kernels, buffer, model, before } = await bufferBelowAModel();
    expectGated('INVALID_INPUT', () => kernels.write(buffer, new Float32Array(2), 3));
    expectGated('INVALID_INPUT', () => kernels.write(buffer, new Float32Array(1), -1));
    expectGated('INVALID_INPUT', () =>
      kernels.write(buffer, new Proxy(new Float32Array(4), {}) as Float32Array),
    );
    expectGated('INVALID_INPUT', () =>
      kernels.write(buffer, new Float64Array(100_000) as unknown as Float32Array),
    );
    kernels.write(buffer, new Float32Array([1, 2, 3, 4]));
    expect((await kernels.read([buffer]))[0]).toEqual(new Float32Array([1, 2, 3, 4]));
    kernels.free(buffer);
    // The freed block may now belong to someone else: no access through the old handle.
    expectGated('INVALID_INPUT', () => kernels.write(buffer, new Float32Array(4)));
    expectGated('INVALID_INPUT', () => kernels.zero(buffer));
    await expect(kernels.read([buffer])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expectUnchanged(model, before);
  });

  it('refuse weights whose true length is not the expected one before packing them', async () => {
    const { kernels, model, before } = await bufferBelowAModel();
    const config = { cell: 'rnn', inputSize: 2, hiddenSize: 3 } as const;
    const w = initWeights(config, { seed: 1 });
    const spec = { config: model.config, layer: 0, direction: 0, inputSize: 2, hiddenSize: 3, outputSize: 3 };
    const layerWeights = {
      weightIh: new LyingLength(100_000),
      weightHh: w.weight_hh_l0,
      biasIh: null,
      biasHh: null,
      weightHr: null,
      weightPh: null,
    };
    expectGated('INVALID_WEIGHTS', () =>
      kernels.packLayer({ ...spec, config: { ...model.config, cell: 'rnn' } }, layerWeights),
    );
    await expectUnchanged(model, before);
  });

  it('refuse a sequence job whose output does not hold every step it writes', async () => {
    const { kernels, model, before } = await bufferBelowAModel();
    const config = { cell: 'rnn', inputSize: 2, hiddenSize: 3 } as const;
    const w = initWeights(config, { seed: 1 });
    const layer = kernels.packLayer(
      {
        config: { ...model.config, cell: 'rnn', inputSize: 2, hiddenSize: 3 },
        layer: 0,
        direction: 0,
        inputSize: 2,
        hiddenSize: 3,
        outputSize: 3,
      },
      {
        weightIh: w.weight_ih_l0,
        weightHh: w.weight_hh_l0,
        biasIh: null,
        biasHh: null,
        weightHr: null,
        weightPh: null,
      },
    );
    const [input, output, h] = [kernels.alloc(10 * 2), kernels.alloc(3), kernels.alloc(3)];
    const job = {
      layer,
      steps: 10,
      batch: 1,
      input,
      output,
      outputStride: 3,
      outputOffset: 0,
      h,
      hOffset: 0,
    };
    const rest = { c: null, cOffset: 0, reverse: false, seqLens: null, gates: null };
    expectGated('INVALID_INPUT', () => kernels.runSequence({ ...job, ...rest }));
    expectGated('INVALID_INPUT', () => kernels.runSequence({ ...job, ...rest, steps: 1, hOffset: 1 }));
    kernels.runSequence({ ...job, ...rest, steps: 1 });
    await expectUnchanged(model, before);
  });
});
