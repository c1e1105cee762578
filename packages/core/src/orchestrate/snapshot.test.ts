import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { INFERENCE_CAPABILITIES } from '../capabilities.js';
import type { RecurrentConfig } from '../config.js';
import { GatedError } from '../errors.js';
import type { Kernels } from '../kernels.js';
import { tensor } from '../tensor.js';
import { initWeights, type Weights } from '../weights.js';
import { defineKernelBackend } from './define-backend.js';

/** Kernels whose output row (t, b) is the sum of the input row plus the layer's first weight and
 * the initial h: enough to see whether the snapshot or the caller's arrays were used. */
function summingKernels() {
  const writes: number[] = [];
  const kernels: Kernels<Float32Array, { w: number }> = {
    alloc: (length) => new Float32Array(length),
    write(buffer, data, offset = 0) {
      writes.push(data.length);
      buffer.set(data, offset);
    },
    zero: (buffer) => buffer.fill(0),
    read: async (buffers) => buffers.map((b) => b.slice()),
    free: () => {},
    packLayer: (_spec, weights) => ({ w: weights.weightIh[0] }),
    freeLayer: () => {},
    runSequence(job) {
      const I = job.layer ? job.input.length / (job.steps * job.batch) : 0;
      for (let t = 0; t < job.steps; t++) {
        for (let b = 0; b < job.batch; b++) {
          let sum = job.layer.w + job.h[job.hOffset + b * job.outputStride];
          for (let i = 0; i < I; i++) sum += job.input[(t * job.batch + b) * I + i];
          for (let j = 0; j < job.outputStride; j++)
            job.output[(t * job.batch + b) * job.outputStride + j] = sum;
        }
      }
    },
  };
  return { kernels, writes };
}

const config: RecurrentConfig = { cell: 'gru', inputSize: 2, hiddenSize: 1 };

async function compiled(weights: Weights = initWeights(config)) {
  const { kernels, writes } = summingKernels();
  const backend = defineKernelBackend({ name: 'summing', capabilities: INFERENCE_CAPABILITIES, kernels });
  return { model: await backend.compile(config, weights), writes };
}

describe('a call takes a snapshot of what it is given', () => {
  it('uses x, h0 and seqLens as they were when forward was called', async () => {
    const { model } = await compiled();
    const x = new Float32Array([1, 2, 3, 4]);
    const h0 = new Float32Array([10, 20]);
    const expected = await model.forward(tensor(x.slice(), [1, 2, 2]), { h0: tensor(h0.slice(), [1, 2, 1]) });
    const seqLens = [1, 1];
    const pending = model.forward(tensor(x, [1, 2, 2]), { h0: tensor(h0, [1, 2, 1]), seqLens });
    x.fill(Number.NaN);
    h0.fill(1e9);
    seqLens[0] = 99;
    const result = await pending;
    expect(Array.from(result.output.data)).toEqual(Array.from(expected.output.data));
  });

  it('reads a tensor data getter once, so a bigger second answer is never used', async () => {
    const { model, writes } = await compiled();
    let reads = 0;
    const sneaky = {
      shape: [1, 1, 2],
      get data() {
        reads++;
        return reads === 1 ? new Float32Array([1, 2]) : new Float32Array(1_000_000).fill(Number.NaN);
      },
    };
    const result = await model.forward(sneaky);
    expect(reads).toBe(1);
    expect(Number.isFinite(result.output.data[0])).toBe(true);
    expect(Math.max(...writes)).toBeLessThanOrEqual(2);
  });

  it('refuses or copies correctly a Float32Array subclass with a lying length', async () => {
    const { model } = await compiled();
    class Lying extends Float32Array {
      override get length(): number {
        return 1 << 24;
      }
    }
    const lying = await model.forward({ data: new Lying([1, 2]), shape: [1, 1, 2] });
    const honest = await model.forward(tensor(new Float32Array([1, 2]), [1, 1, 2]));
    expect(Array.from(lying.output.data)).toEqual(Array.from(honest.output.data));
    const short = model.forward({ data: new Lying([1]), shape: [1, 1, 2] });
    await expect(short).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('accepts a Float32Array from another realm', async () => {
    const { model } = await compiled();
    const foreign = runInNewContext('new Float32Array([1, 2])');
    const result = await model.forward({ data: foreign, shape: [1, 1, 2] });
    expect(result.output.shape).toEqual([1, 1, 1]);
  });

  it('compiles the weights as they were validated, whatever the caller or a getter does later', async () => {
    const weights = initWeights(config);
    const first = weights.weight_ih_l0[0];
    let reads = 0;
    const sneaky = Object.defineProperty({ ...weights }, 'weight_ih_l0', {
      enumerable: true,
      get() {
        reads++;
        return reads === 1 ? weights.weight_ih_l0 : new Float32Array(6).fill(Number.NaN);
      },
    });
    const { model } = await compiled(sneaky);
    expect(reads).toBe(1);
    weights.weight_ih_l0[0] = Number.NaN;
    const { output } = await model.forward(tensor(new Float32Array(2), [1, 1, 2]));
    expect(output.data[0]).toBe(first);
  });

  it('reads each option once', async () => {
    const { model } = await compiled();
    let reads = 0;
    const options = {
      get h0() {
        reads++;
        return reads === 1 ? undefined : tensor(new Float32Array(1), [9, 9, 9]);
      },
    };
    await expect(model.forward(tensor(new Float32Array(2), [1, 1, 2]), options)).resolves.toBeDefined();
    expect(reads).toBe(1);
  });

  it('refuses a request beyond the core bound before allocating anything', async () => {
    let allocated = 0;
    const { kernels } = summingKernels();
    const counting = {
      ...kernels,
      alloc: (n: number) => {
        allocated += n;
        return new Float32Array(0);
      },
    };
    const backend = defineKernelBackend({
      name: 'counting',
      capabilities: INFERENCE_CAPABILITIES,
      kernels: counting,
    });
    const wide: RecurrentConfig = { cell: 'rnn', inputSize: 1, hiddenSize: 4096 };
    const model = await backend.compile(wide, initWeights(wide));
    const x = tensor(new Float32Array(1 << 19), [1 << 10, 1 << 9, 1]);
    const error = await model.forward(x).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatedError);
    expect((error as GatedError).code).toBe('INVALID_INPUT');
    expect((error as GatedError).message).toContain('split the batch or the sequence');
    expect(allocated).toBe(0);
  });
});
