import {
  GatedError,
  gradientLayout,
  initWeights,
  type RecurrentConfig,
  type RecurrentModel,
  tensor,
} from '@gated/core';
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

  it('refuse a recording or backward job whose tape, gradients or other buffers do not hold what it addresses', async () => {
    const { kernels, model, before } = await bufferBelowAModel();
    const config = { ...model.config, cell: 'lstm' as const, inputSize: 2, hiddenSize: 3, peephole: true };
    const spec = { config, layer: 0, direction: 0, inputSize: 2, hiddenSize: 3, outputSize: 3 };
    const w = initWeights({ cell: 'lstm', inputSize: 2, hiddenSize: 3, peephole: true }, { seed: 1 });
    const layer = kernels.packLayer(spec, {
      weightIh: w.weight_ih_l0,
      weightHh: w.weight_hh_l0,
      biasIh: w.bias_ih_l0,
      biasHh: w.bias_hh_l0,
      weightHr: null,
      weightPh: w.weight_ph_l0,
    });
    const [T, B] = [4, 2];
    const tapeLength = kernels.tapeLength!(layer, T, B);
    const layout = gradientLayout(spec);
    const [input, output, h, c, tape] = [
      kernels.alloc(T * B * 2),
      kernels.alloc(T * B * 3),
      kernels.alloc(B * 3),
      kernels.alloc(B * 3),
      kernels.alloc(tapeLength),
    ];
    const forward = {
      layer,
      steps: T,
      batch: B,
      input,
      output,
      outputStride: 3,
      outputOffset: 0,
      h,
      hOffset: 0,
      c,
      cOffset: 0,
      reverse: false,
      seqLens: null,
      gates: null,
    };
    expectGated('INVALID_INPUT', () =>
      kernels.runSequence({ ...forward, tape: kernels.alloc(tapeLength - 1) }),
    );
    kernels.runSequence({ ...forward, tape });
    const [dOutput, dh, dc, dInput, gradients] = [
      kernels.alloc(T * B * 3),
      kernels.alloc(B * 3),
      kernels.alloc(B * 3),
      kernels.alloc(T * B * 2),
      kernels.alloc(layout.length),
    ];
    kernels.write(dOutput, new Float32Array(T * B * 3).fill(1));
    const job = {
      layer,
      steps: T,
      batch: B,
      input,
      tape,
      dOutput,
      dOutputStride: 3,
      dOutputOffset: 0,
      dh,
      dhOffset: 0,
      dc,
      dcOffset: 0,
      dInput,
      gradients,
      gradientsOffset: 0,
      layout,
      reverse: false,
      seqLens: null,
    };
    const short = kernels.alloc(1);
    const freed = kernels.alloc(tapeLength);
    kernels.free(freed);
    for (const bad of [
      { tape: short },
      { tape: freed },
      { dInput: short },
      { input: short },
      { dOutput: short },
      { dOutputOffset: 1 },
      { dh: short },
      { dhOffset: 1 },
      { dc: null },
      { dcOffset: 4 },
      { gradientsOffset: 1 },
      { gradients: short },
      { layout: { ...layout, weightPh: layout.length } },
      { layout: { ...layout, biasIh: -1 } },
      { steps: Number.NaN },
      { seqLens: new Int32Array(1) },
    ]) {
      expectGated('INVALID_INPUT', () => kernels.runSequenceBackward!({ ...job, ...bad }));
    }
    // Nothing was written by the refused jobs; the valid one writes every gradient.
    expect((await kernels.read([gradients, dInput])).every((a) => a.every((v) => v === 0))).toBe(true);
    // A layout whose offset changes after a first read is read once, and the checked value
    // used (an offset of 1e9 read again later would write 4 GB past the buffer).
    let reads = 0;
    const shifting = {
      ...layout,
      get weightHh() {
        reads++;
        return reads === 1 ? layout.weightHh : 1e9;
      },
    };
    kernels.runSequenceBackward!({ ...job, layout: shifting });
    expect(reads).toBe(1);
    const [g, dx] = await kernels.read([gradients, dInput]);
    expect(g.some((v) => v !== 0) && dx.some((v) => v !== 0)).toBe(true);
    expect(g.every(Number.isFinite) && dx.every(Number.isFinite)).toBe(true);
    await expectUnchanged(model, before);
  });
});
