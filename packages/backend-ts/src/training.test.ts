import {
  createRandom,
  type Gradients,
  initWeights,
  type RecurrentConfig,
  type Tensor,
  tensor,
  uniformArray,
} from '@gated/core';
import { describe, expect, it } from 'vitest';
import { createTsBackend } from './index.js';

const CONFIGS: Record<string, RecurrentConfig> = {
  'a 2-layer bidirectional LSTM with peepholes and projection': {
    cell: 'lstm',
    inputSize: 5,
    hiddenSize: 9,
    numLayers: 2,
    bidirectional: true,
    peephole: true,
    projSize: 4,
  },
  'a batch-first clipped LSTM with softsign cells': {
    cell: 'lstm',
    inputSize: 6,
    hiddenSize: 7,
    batchFirst: true,
    clip: 1.5,
    activations: { cell: 'softsign' },
  },
  'a 2-layer bidirectional GRU': {
    cell: 'gru',
    inputSize: 5,
    hiddenSize: 17,
    numLayers: 2,
    bidirectional: true,
  },
  'a bidirectional reset-before GRU without bias': {
    cell: 'gru',
    inputSize: 4,
    hiddenSize: 6,
    bidirectional: true,
    resetAfter: false,
    bias: false,
  },
  'a 2-layer relu RNN': { cell: 'rnn', inputSize: 4, hiddenSize: 10, numLayers: 2, nonlinearity: 'relu' },
};

/** Every value of a gradient, by name: weights, x, h0 and c0. */
function entries(g: Gradients): [string, Float32Array][] {
  const all: [string, Float32Array][] = Object.entries(g.weights);
  all.push(['x', g.x.data], ['h0', g.h0.data]);
  if (g.c0) all.push(['c0', g.c0.data]);
  return all;
}

/** The f32 kernels against the same kernels in float64: within 2e-5 of each tensor's largest
 * value plus 1e-4 relative (f32 rounds the tape and every product; sums over T·B rows and over
 * the steps of the recurrence grow that by their length). */
function expectNear(f32: Gradients, f64: Gradients): void {
  const reference = new Map(entries(f64));
  for (const [name, values] of entries(f32)) {
    const expected = reference.get(name)!;
    expect(values.length, name).toBe(expected.length);
    const scale = expected.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
    expect(scale, name).toBeGreaterThan(0);
    for (let k = 0; k < values.length; k++) {
      const tolerance = 2e-5 * scale + 1e-4 * Math.abs(expected[k]);
      if (!(Math.abs(values[k] - expected[k]) <= tolerance)) {
        expect.fail(`${name}[${k}]: f32 ${values[k]}, f64 ${expected[k]} (scale ${scale})`);
      }
    }
  }
}

function random(shape: number[], seed: number): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor(uniformArray(size, -1, 1, createRandom(seed)), shape);
}

describe('training on the ts backend', () => {
  it.each(Object.entries(CONFIGS))('gives the gradients of its float64 run for %s', async (_, config) => {
    const weights = initWeights(config, { seed: 5 });
    const [T, B] = [7, 4];
    const x = random(config.batchFirst ? [B, T, config.inputSize] : [T, B, config.inputSize], 6);
    const seqLens = [7, 3, 0, 5];
    const results: Gradients[] = [];
    for (const precision of ['f32', 'f64'] as const) {
      const backend = await createTsBackend({ precision });
      const model = await backend.compile(config, weights);
      const recorded = await model.recordForward(x, { seqLens });
      const upstream = {
        output: random([...recorded.output.shape], 7),
        h: random([...recorded.h.shape], 8),
        ...(recorded.c ? { c: random([...recorded.c.shape], 9) } : {}),
      };
      results.push(await recorded.backward(upstream));
      recorded.release();
      backend.dispose();
    }
    expectNear(results[0], results[1]);
  });

  it('records the same forward as inference and gives the same gradients on a second backward', async () => {
    const config = CONFIGS['a 2-layer bidirectional LSTM with peepholes and projection']!;
    const backend = await createTsBackend();
    const model = await backend.compile(config, initWeights(config, { seed: 1 }));
    const x = random([6, 3, config.inputSize], 2);
    const options = { seqLens: [6, 2, 4] };
    const plain = await model.forward(x, options);
    const recorded = await model.recordForward(x, options);
    expect(recorded.output.data).toEqual(plain.output.data);
    expect(recorded.h.data).toEqual(plain.h.data);
    expect(recorded.c!.data).toEqual(plain.c!.data);
    const upstream = { output: random([...plain.output.shape], 3) };
    const first = await recorded.backward(upstream);
    // Another model's forward and backward in between share the backend's scratch memory.
    const other = await model.recordForward(random([9, 5, config.inputSize], 4));
    await other.backward({ h: random([...other.h.shape], 5) });
    const second = await recorded.backward(upstream);
    expect(entries(second)).toEqual(entries(first));
    recorded.release();
    other.release();
    await expect(recorded.backward(upstream)).rejects.toMatchObject({ code: 'DISPOSED' });
    backend.dispose();
  });

  it('declares training and refuses to record a thresholdedRelu model', async () => {
    const backend = await createTsBackend();
    expect(backend.capabilities.training).toBe(true);
    const config: RecurrentConfig = {
      cell: 'rnn',
      inputSize: 2,
      hiddenSize: 3,
      activations: { candidate: 'thresholdedRelu' },
    };
    const model = await backend.compile(config, initWeights(config, { seed: 1 }));
    await expect(model.recordForward(random([2, 1, 2], 1))).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    backend.dispose();
  });
});
