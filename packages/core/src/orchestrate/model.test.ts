import { describe, expect, it } from 'vitest';
import { INFERENCE_CAPABILITIES } from '../capabilities.js';
import { normalizeConfig, type RecurrentConfig } from '../config.js';
import { GatedError } from '../errors.js';
import type { Kernels, LayerSpec, SequenceJob } from '../kernels.js';
import { tensor } from '../tensor.js';
import { initWeights } from '../weights.js';
import { defineKernelBackend } from './define-backend.js';
import { trackedMemory } from './tracked-memory.test-helper.js';

/** Kernels that record what the orchestration asks for and write recognisable values:
 * output (t, b, j) = 1000·(layer·D + direction + 1) + 10·t + b, final h = the same at t = T. */
function recordingKernels() {
  const jobs: SequenceJob<Float32Array, LayerSpec>[] = [];
  const { memory, live, reads } = trackedMemory();
  const kernels: Kernels<Float32Array, LayerSpec> = {
    ...memory,
    runSequence(job) {
      jobs.push(job);
      const spec = job.layer;
      const id = 1000 * (spec.layer * (spec.config.bidirectional ? 2 : 1) + spec.direction + 1);
      for (let t = 0; t < job.steps; t++) {
        for (let b = 0; b < job.batch; b++) {
          for (let j = 0; j < spec.outputSize; j++) {
            job.output[(t * job.batch + b) * job.outputStride + job.outputOffset + j] = id + 10 * t + b;
          }
        }
      }
      for (let b = 0; b < job.batch; b++) job.h[job.hOffset + b * spec.outputSize] += id + 10 * job.steps + b;
    },
  };
  return { kernels, jobs, live, reads };
}

async function compile(config: RecurrentConfig) {
  const rec = recordingKernels();
  const backend = defineKernelBackend({
    name: 'recording',
    capabilities: INFERENCE_CAPABILITIES,
    kernels: rec.kernels,
  });
  const model = await backend.compile(config, initWeights(config));
  return { ...rec, backend, model };
}

describe('kernel orchestration', () => {
  it('runs every layer-direction in order, chaining layer outputs and placing directions side by side', async () => {
    const config: RecurrentConfig = {
      cell: 'gru',
      inputSize: 3,
      hiddenSize: 2,
      numLayers: 2,
      bidirectional: true,
    };
    const { model, jobs, live, reads } = await compile(config);
    const T = 4;
    const B = 3;
    const { output, h } = await model.forward(tensor(new Float32Array(T * B * 3), [T, B, 3]));
    expect(jobs.map((j) => [j.layer.layer, j.layer.direction, j.reverse, j.outputOffset, j.hOffset])).toEqual(
      [
        [0, 0, false, 0, 0],
        [0, 1, true, 2, 6],
        [1, 0, false, 0, 12],
        [1, 1, true, 2, 18],
      ],
    );
    expect(jobs[2].input).toBe(jobs[0].output);
    expect(output.shape).toEqual([T, B, 4]);
    expect(output.data[(2 * B + 1) * 4]).toBe(3000 + 21);
    expect(output.data[(2 * B + 1) * 4 + 2]).toBe(4000 + 21);
    expect(h.shape).toEqual([4, B, 2]);
    expect(h.data[3 * B * 2 + 2 * 2]).toBe(4000 + 40 + 2);
    expect(reads()).toBe(1);
    expect(live.size).toBe(0);
  });

  it('transposes batch-first input and output', async () => {
    const { model, jobs } = await compile({ cell: 'rnn', inputSize: 1, hiddenSize: 1, batchFirst: true });
    const x = tensor([1, 2, 3, 4, 5, 6], [2, 3, 1]); // [B=2, T=3, I=1]
    const { output } = await model.forward(x);
    expect([...jobs[0].input]).toEqual([1, 4, 2, 5, 3, 6]);
    expect(output.shape).toEqual([2, 3, 1]);
    expect([...output.data]).toEqual([1000, 1010, 1020, 1001, 1011, 1021]);
  });

  it('passes h0, c0 and seqLens through and returns c for an LSTM', async () => {
    const { model, jobs } = await compile({ cell: 'lstm', inputSize: 1, hiddenSize: 2 });
    const h0 = tensor([1, 1, 2, 2], [1, 2, 2]);
    const c0 = tensor([5, 5, 6, 6], [1, 2, 2]);
    const { h, c } = await model.forward(tensor([0, 0, 0, 0], [2, 2, 1]), { h0, c0, seqLens: [2, 0] });
    expect([...jobs[0].seqLens!]).toEqual([2, 0]);
    expect(h.data[0]).toBe(1 + 1020);
    expect([...c!.data]).toEqual([5, 5, 6, 6]);
  });

  it('splits gate traces per layer, direction and gate name', async () => {
    const { model } = await compile({ cell: 'lstm', inputSize: 1, hiddenSize: 2, bidirectional: true });
    const { gates } = await model.forward(tensor([0, 0], [2, 1, 1]), { returnGates: true });
    expect(gates!.map((g) => [g.layer, g.direction, Object.keys(g.values).join('')])).toEqual([
      [0, 0, 'ifgoc'],
      [0, 1, 'ifgoc'],
    ]);
    expect(gates![0].values.i.shape).toEqual([2, 1, 2]);
  });

  it('validates input before touching kernels and names the argument', async () => {
    const { model, jobs, live } = await compile({ cell: 'lstm', inputSize: 2, hiddenSize: 2, numLayers: 2 });
    const x = tensor(new Float32Array(8), [2, 2, 2]);
    const cases: [() => Promise<unknown>, string][] = [
      [() => model.forward(tensor(new Float32Array(6), [2, 3])), 'x'],
      [() => model.forward(tensor(new Float32Array(6), [1, 2, 3])), 'inputSize'],
      [() => model.forward(tensor([0, 0, Number.NaN, 0], [1, 2, 2])), 'x'],
      [() => model.forward(x, { seqLens: [1] }), 'options.seqLens'],
      [() => model.forward(x, { seqLens: [1, 3] }), 'options.seqLens[1]'],
      [() => model.forward(x, { h0: tensor(new Float32Array(4), [1, 2, 2]) }), 'options.h0'],
      [() => model.forward(x, { c0: tensor(new Float32Array(8), [2, 2, 2, 1]) }), 'options.c0'],
    ];
    for (const [call, argument] of cases) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatedError);
      expect((error as GatedError).code).toBe('INVALID_INPUT');
      expect((error as GatedError).message).toContain(argument);
    }
    expect(jobs).toHaveLength(0);
    expect(live.size).toBe(0);
  });

  it('rejects c0 for a GRU', async () => {
    const { model } = await compile({ cell: 'gru', inputSize: 1, hiddenSize: 1 });
    await expect(model.forward(tensor([0], [1, 1, 1]), { c0: tensor([0], [1, 1, 1]) })).rejects.toThrow(
      /options\.c0/,
    );
  });

  it('reports DISPOSED after model or backend dispose, and for their streams', async () => {
    const { model, backend } = await compile({ cell: 'rnn', inputSize: 1, hiddenSize: 1 });
    const stream = model.stream();
    model.dispose();
    await expect(model.forward(tensor([0], [1, 1, 1]))).rejects.toMatchObject({ code: 'DISPOSED' });
    await expect(stream.step(tensor([0], [1, 1]))).rejects.toMatchObject({ code: 'DISPOSED' });
    backend.dispose();
    await expect(backend.compile({ cell: 'rnn', inputSize: 1, hiddenSize: 1 }, {})).rejects.toMatchObject({
      code: 'DISPOSED',
    });
  });

  it('refuses to stream a bidirectional model', async () => {
    const { model } = await compile({ cell: 'gru', inputSize: 1, hiddenSize: 1, bidirectional: true });
    expect(() => model.stream()).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED', message: expect.stringContaining('model.stream') }),
    );
  });

  it('steps a stream through every layer with its own state and resets it', async () => {
    const { model, jobs, live } = await compile({ cell: 'lstm', inputSize: 1, hiddenSize: 1, numLayers: 2 });
    const stream = model.stream({ batch: 2 });
    const y = await stream.step(tensor([1, 2], [2, 1]));
    expect(y.shape).toEqual([2, 1]);
    expect([...y.data]).toEqual([2000, 2001]);
    expect(jobs.map((j) => [j.steps, j.hOffset, j.cOffset])).toEqual([
      [1, 0, 0],
      [1, 2, 2],
    ]);
    expect((await stream.state()).h.data[2]).toBe(2010);
    await stream.reset();
    expect([...(await stream.state()).h.data]).toEqual([0, 0, 0, 0]);
    await expect(stream.reset({ h: tensor([1], [1, 1, 1]) })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(stream.step(tensor([1], [1, 1]))).rejects.toThrow(/x: expected shape \[2, 1\]/);
    stream.dispose();
    expect(live.size).toBe(0);
  });

  it('reserves every buffer of a forward before the first alloc, and keeps at most two layer outputs', async () => {
    const config: RecurrentConfig = { cell: 'gru', inputSize: 3, hiddenSize: 2, numLayers: 4 };
    const rec = recordingKernels();
    const events: string[] = [];
    let peak = 0;
    const kernels = {
      ...rec.kernels,
      reserve: (lengths: readonly number[]) => {
        events.push(`reserve ${lengths.join(' ')}`);
      },
      alloc: (length: number) => {
        events.push(`alloc ${length}`);
        const buffer = rec.kernels.alloc(length);
        peak = Math.max(peak, [...rec.live].filter((b) => b.length === 5 * 2 * 2).length);
        return buffer;
      },
    };
    const backend = defineKernelBackend({ name: 'reserving', capabilities: INFERENCE_CAPABILITIES, kernels });
    const model = await backend.compile(config, initWeights(config));
    await model.forward(tensor(new Float32Array(5 * 2 * 3), [5, 2, 3]));
    expect(events[0]).toBe('reserve 30 16 20 20');
    expect(events.slice(1).every((e) => e.startsWith('alloc'))).toBe(true);
    expect(peak).toBeLessThanOrEqual(2);
    expect(rec.live.size).toBe(0);
  });

  it('refuses before allocating when the kernels cannot reserve a request', async () => {
    const config: RecurrentConfig = { cell: 'lstm', inputSize: 2, hiddenSize: 2 };
    const rec = recordingKernels();
    const kernels = {
      ...rec.kernels,
      reserve: () => {
        throw new GatedError('INVALID_INPUT', 'x: too big for this test');
      },
    };
    const backend = defineKernelBackend({ name: 'full', capabilities: INFERENCE_CAPABILITIES, kernels });
    const model = await backend.compile(config, initWeights(config));
    await expect(model.forward(tensor(new Float32Array(4), [2, 1, 2]))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(() => model.stream({ batch: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(rec.live.size).toBe(0);
  });

  it('rejects what the capabilities lack as UNSUPPORTED', async () => {
    const backend = defineKernelBackend({
      name: 'tiny',
      capabilities: { cells: ['rnn'], activations: ['tanh'], features: [], training: false },
      kernels: recordingKernels().kernels,
    });
    const lstm = normalizeConfig({ cell: 'lstm', inputSize: 1, hiddenSize: 1 });
    await expect(backend.compile(lstm, initWeights(lstm))).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    const relu = { cell: 'rnn', inputSize: 1, hiddenSize: 1, nonlinearity: 'relu' } as const;
    await expect(backend.compile(relu, initWeights(relu))).rejects.toThrow(/relu/);
    const rnn = { cell: 'rnn', inputSize: 1, hiddenSize: 1 } as const;
    const model = await backend.compile(rnn, initWeights(rnn));
    await expect(model.forward(tensor([0], [1, 1, 1]), { seqLens: [1] })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
    });
    expect(() => model.stream()).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
  });
});
