import { describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES, INFERENCE_CAPABILITIES } from '../capabilities.js';
import type { RecurrentConfig } from '../config.js';
import type { BackwardJob, Kernels, LayerSpec } from '../kernels.js';
import { tensor } from '../tensor.js';
import { initWeights, weightShapes } from '../weights.js';
import { defineKernelBackend } from './define-backend.js';
import { trackedMemory } from './tracked-memory.test-helper.js';

/** Kernels with a recognisable backward: each layer-direction adds 1 + direction to every
 * element of dInput, writes gradient element k as 1000·(index + 1) + k (so slicing is visible),
 * and turns dh into dh + 1. The forward writes zeros. Every live buffer is tracked. */
function trainingKernels() {
  const { memory, live, reads } = trackedMemory();
  const backwardJobs: BackwardJob<Float32Array, LayerSpec>[] = [];
  const tapes: Float32Array[] = [];
  const kernels: Kernels<Float32Array, LayerSpec> = {
    ...memory,
    runSequence(job) {
      if (job.tape) tapes.push(job.tape);
    },
    tapeLength: (_layer, steps, batch) => steps * batch,
    runSequenceBackward(job) {
      backwardJobs.push(job);
      const spec = job.layer;
      const index = spec.layer * (spec.config.bidirectional ? 2 : 1) + spec.direction;
      for (let i = 0; i < job.steps * job.batch * spec.inputSize; i++) job.dInput[i] += 1 + spec.direction;
      for (let k = 0; k < job.layout.length; k++)
        job.gradients[job.gradientsOffset + k] += 1000 * (index + 1) + k;
      for (let i = 0; i < job.batch * spec.outputSize; i++) job.dh[job.dhOffset + i] += 1;
    },
  };
  return { kernels, live, backwardJobs, tapes, reads };
}

async function setUp(config: RecurrentConfig, training = true) {
  const k = trainingKernels();
  const backend = defineKernelBackend({
    name: 'toy',
    capabilities: training ? ALL_CAPABILITIES : INFERENCE_CAPABILITIES,
    kernels: k.kernels,
  });
  const model = await backend.compile(config, initWeights(config));
  return { ...k, backend, model };
}

const lstm2 = { cell: 'lstm', inputSize: 3, hiddenSize: 2, numLayers: 2, bidirectional: true } as const;
const x = (T: number, B: number, I: number) => tensor(new Float32Array(T * B * I).fill(0.5), [T, B, I]);

describe('recorded forward and backward orchestration', () => {
  it('runs the backward from the last layer to the first, each layer reading the gradient the one above gave its input', async () => {
    const { model, backwardJobs, tapes, reads } = await setUp(lstm2);
    const rec = await model.recordForward(x(4, 2, 3));
    expect(tapes).toHaveLength(4);
    const readsBefore = reads();
    const g = await rec.backward({ output: tensor(new Float32Array(4 * 2 * 4).fill(1), [4, 2, 4]) });
    expect(reads() - readsBefore).toBe(1);
    expect(backwardJobs.map((j) => [j.layer.layer, j.layer.direction])).toEqual([
      [1, 0],
      [1, 1],
      [0, 0],
      [0, 1],
    ]);
    // Layer 1's dInput (1 + 2 from both directions) is layer 0's dOutput.
    expect(backwardJobs[2].dOutput).toBe(backwardJobs[0].dInput);
    expect(backwardJobs[0].dOutputStride).toBe(4);
    expect(backwardJobs[1].dOutputOffset).toBe(2);
    expect(backwardJobs[1].reverse).toBe(true);
    expect(backwardJobs[0].tape).toBe(tapes[2]);
    // Each job reads the input its forward read.
    expect(backwardJobs[2].input.length).toBe(4 * 2 * 3);
    expect(Array.from(g.x.data)).toEqual(new Array(24).fill(3));
    expect(Array.from(g.h0.data)).toEqual(new Array(16).fill(1));
    expect(g.c0?.shape).toEqual([4, 2, 2]);
    rec.release();
  });

  it('returns every weight gradient under its state_dict name and shape, sliced at the layout offsets', async () => {
    const config = { ...lstm2, projSize: 1, peephole: true } as const;
    const { model } = await setUp(config);
    const rec = await model.recordForward(x(2, 1, 3));
    const g = await rec.backward();
    const shapes = weightShapes(config);
    expect(Object.keys(g.weights)).toEqual(Object.keys(shapes));
    for (const [name, shape] of Object.entries(shapes)) {
      expect(g.weights[name].length, name).toBe(shape.reduce((a, b) => a * b, 1));
    }
    // weight_ih_l0 starts the first layer-direction's buffer; weight_hh_l0 follows it.
    expect(g.weights.weight_ih_l0[0]).toBe(1000);
    expect(g.weights.weight_hh_l0[0]).toBe(1000 + 8 * 3); // GH = 8 rows of I = 3
    expect(g.weights.weight_ih_l0_reverse[0]).toBe(2000);
    // Layer 1 reverse: GH·I₁ + GH·Hout + 2·GH + P·H + 3·H = 16 + 8 + 16 + 2 + 6 values, peepholes last.
    expect(g.weights.weight_ph_l1_reverse.at(-1)).toBe(4000 + 47);
    rec.release();
  });

  it('transposes a batch-first upstream gradient and gives dx batch-first', async () => {
    const config = { cell: 'gru', inputSize: 2, hiddenSize: 1, batchFirst: true } as const;
    const { model, backwardJobs } = await setUp(config);
    const rec = await model.recordForward(x(3, 2, 2));
    const up = new Float32Array(3 * 2).map((_, i) => i); // [B=3, T=2, 1]
    const g = await rec.backward({ output: tensor(up, [3, 2, 1]) });
    // Time-major row (t, b) holds batch-first element (b, t).
    expect(Array.from(backwardJobs[0].dOutput)).toEqual([0, 2, 4, 1, 3, 5]);
    expect(g.x.shape).toEqual([3, 2, 2]);
    expect(g.c0).toBeUndefined();
    rec.release();
  });

  it('frees what it recorded on release, and a model dispose releases recordings never released', async () => {
    const { model, live } = await setUp(lstm2);
    const baseline = live.size;
    const rec = await model.recordForward(x(4, 2, 3));
    expect(live.size).toBe(baseline + 2 + 4); // both layer inputs and four tapes
    await rec.backward();
    expect(live.size).toBe(baseline + 6);
    rec.release();
    rec.release();
    expect(live.size).toBe(baseline);
    await expect(rec.backward()).rejects.toMatchObject({ code: 'DISPOSED' });

    const never = [await model.recordForward(x(4, 2, 3)), await model.recordForward(x(4, 2, 3))];
    expect(live.size).toBe(baseline + 12);
    model.dispose();
    expect(live.size).toBe(0);
    await expect(never[0].backward()).rejects.toMatchObject({ code: 'DISPOSED' });
  });

  it('validates upstream gradients against the result shapes, naming the argument', async () => {
    const { model, live } = await setUp(lstm2);
    const rec = await model.recordForward(x(4, 2, 3));
    const held = live.size;
    await expect(rec.backward({ output: tensor(new Float32Array(3), [3, 1, 1]) })).rejects.toThrow(
      /upstream\.output: expected shape \[4, 2, 4\]/,
    );
    await expect(
      rec.backward({ h: tensor(new Float32Array(16).fill(Number.NaN), [4, 2, 2]) }),
    ).rejects.toThrow(/upstream\.h: expected finite values/);
    await expect(rec.backward(null as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(live.size).toBe(held);
    const gru = await setUp({ cell: 'gru', inputSize: 1, hiddenSize: 1 });
    const grec = await gru.model.recordForward(x(1, 1, 1));
    await expect(grec.backward({ c: tensor(new Float32Array(1), [1, 1, 1]) })).rejects.toThrow(/upstream\.c/);
  });

  it('takes a snapshot of the upstream gradients when backward is called', async () => {
    const { model, backwardJobs } = await setUp({ cell: 'rnn', inputSize: 1, hiddenSize: 1 });
    const rec = await model.recordForward(x(2, 1, 1));
    const data = new Float32Array([1, 2]);
    const pending = rec.backward({ output: tensor(data, [2, 1, 1]) });
    data.fill(9);
    await pending;
    expect(Array.from(backwardJobs[0].dOutput)).toEqual([1, 2]);
  });

  it('is UNSUPPORTED on a backend that does not train, and for an activation with no derivative', async () => {
    const inference = await setUp({ cell: 'rnn', inputSize: 1, hiddenSize: 1 }, false);
    await expect(inference.model.recordForward(x(1, 1, 1))).rejects.toThrow(
      /capabilities\.training is false/,
    );
    const step = await setUp({
      cell: 'lstm',
      inputSize: 1,
      hiddenSize: 1,
      activations: { candidate: 'thresholdedRelu' },
    });
    await expect(step.model.recordForward(x(1, 1, 1))).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/thresholdedRelu/),
    });
  });

  it('refuses to define a backend that declares training without backward kernels', () => {
    const { kernels } = trainingKernels();
    const { runSequenceBackward: _, ...inferenceOnly } = kernels;
    expect(() =>
      defineKernelBackend({ name: 'liar', capabilities: ALL_CAPABILITIES, kernels: inferenceOnly }),
    ).toThrow(/capabilities\.training is true/);
  });
});
