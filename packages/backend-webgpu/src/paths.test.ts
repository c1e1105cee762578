import {
  type Backend,
  createRandom,
  defineKernelBackend,
  type ForwardOptions,
  type ForwardResult,
  INFERENCE_CAPABILITIES,
  initWeights,
  type RecurrentConfig,
  tensor,
  uniformArray,
} from '@gated/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeviceBudget } from './gpu/device-budget.js';
import { createWebGpuBackend, type WebGpuBackendOptions } from './index.js';
import { createTestDevice } from './test-device.test-helper.js';
import { createWebGpuKernels } from './webgpu-kernels.js';

const CONFIGS: Record<string, RecurrentConfig> = {
  'lstm projection peephole clip': {
    cell: 'lstm',
    inputSize: 5,
    hiddenSize: 33,
    projSize: 7,
    peephole: true,
    clip: 1.5,
    bidirectional: true,
  },
  'lstm coupled hardSigmoid': {
    cell: 'lstm',
    inputSize: 3,
    hiddenSize: 17,
    coupledInputForget: true,
    activations: { gate: 'hardSigmoid' },
  },
  'gru resetAfter stack': { cell: 'gru', inputSize: 4, hiddenSize: 20, numLayers: 2 },
  'gru resetAfter false bidirectional': {
    cell: 'gru',
    inputSize: 6,
    hiddenSize: 9,
    resetAfter: false,
    bidirectional: true,
  },
  'rnn relu': { cell: 'rnn', inputSize: 2, hiddenSize: 70, nonlinearity: 'relu' },
};

interface Run {
  readonly config: RecurrentConfig;
  readonly T: number;
  readonly B: number;
}

function inputsOf({ config, T, B }: Run): { x: ReturnType<typeof tensor>; options: ForwardOptions } {
  const random = createRandom(17);
  const D = config.bidirectional ? 2 : 1;
  const L = config.numLayers ?? 1;
  const Hout = config.cell === 'lstm' && config.projSize ? config.projSize : config.hiddenSize;
  const options: ForwardOptions = {
    seqLens: Array.from({ length: B }, (_, b) => (b === 1 ? 0 : T - (b % (T + 1)))),
    returnGates: true,
    h0: tensor(uniformArray(L * D * B * Hout, -0.5, 0.5, random), [L * D, B, Hout]),
  };
  if (config.cell === 'lstm') {
    options.c0 = tensor(uniformArray(L * D * B * config.hiddenSize, -1, 1, random), [
      L * D,
      B,
      config.hiddenSize,
    ]);
  }
  return {
    x: tensor(uniformArray(T * B * config.inputSize, -2, 2, random), [T, B, config.inputSize]),
    options,
  };
}

async function forwardOn(backend: Backend, run: Run): Promise<ForwardResult> {
  const model = await backend.compile(run.config, initWeights(run.config, { seed: 3 }));
  const { x, options } = inputsOf(run);
  const result = await model.forward(x, options);
  model.dispose();
  return result;
}

/** Every number of a result (output, h, c, every gate trace) in one array. */
function flatten(result: ForwardResult): Float32Array {
  const parts = [result.output.data, result.h.data, result.c?.data ?? new Float32Array()];
  for (const trace of result.gates ?? [])
    for (const values of Object.values(trace.values)) parts.push(values.data);
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const backends = new Map<string, Backend>();
async function backendWith(options: WebGpuBackendOptions): Promise<Backend> {
  const key = JSON.stringify(options);
  let backend = backends.get(key);
  if (!backend) {
    backend = await createWebGpuBackend(options);
    backends.set(key, backend);
  }
  return backend;
}
afterAll(() => {
  for (const backend of backends.values()) backend.dispose();
});

describe('the recurrence paths', () => {
  for (const [name, config] of Object.entries(CONFIGS)) {
    it(`give bit-identical results on either path and at any workgroup size: ${name}`, async () => {
      const run = { config, T: 6, B: 5 };
      const reference = flatten(await forwardOn(await backendWith({ recurrence: 'persistent' }), run));
      for (const options of [
        { recurrence: 'persistent', workgroupSize: 16 },
        { recurrence: 'persistent', workgroupSize: 256 },
        { recurrence: 'per-step', workgroupSize: 16 },
        { recurrence: 'per-step', workgroupSize: 128 },
      ] as const) {
        expect(flatten(await forwardOn(await backendWith(options), run)), JSON.stringify(options)).toEqual(
          reference,
        );
      }
    });
  }

  it('give the same results when a persistent workgroup runs several batch rows', async () => {
    // 300 rows: the persistent path gives each workgroup 3 of them, the per-step path 4 per thread.
    const run = { config: CONFIGS['gru resetAfter false bidirectional'], T: 3, B: 300 };
    const persistent = flatten(await forwardOn(await backendWith({ recurrence: 'persistent' }), run));
    const perStep = flatten(await forwardOn(await backendWith({ recurrence: 'per-step' }), run));
    expect(perStep).toEqual(persistent);
  });
});

describe('chunks of steps', () => {
  async function chunkedBackend(budget: Partial<DeviceBudget>, recurrence: 'persistent' | 'per-step') {
    const device = await createTestDevice();
    const kernels = createWebGpuKernels({
      device,
      owned: true,
      weightFormat: 'f32',
      recurrence,
      workgroupSize: null,
      budget,
    });
    return defineKernelBackend({ name: 'webgpu-chunked', capabilities: INFERENCE_CAPABILITIES, kernels });
  }

  it('give the same results as one chunk, both paths, both directions, with lengths and traces', async () => {
    const run = { config: CONFIGS['lstm projection peephole clip'], T: 11, B: 3 };
    const whole = flatten(await forwardOn(await backendWith({ recurrence: 'persistent' }), run));
    // 3 rows × 132 gate values × 4 bytes per step: a 4-step budget cuts 11 steps into 4, 4, 3.
    const budget = { preBudgetBytes: 4 * 3 * 132 * 4 };
    for (const recurrence of ['persistent', 'per-step'] as const) {
      const backend = await chunkedBackend(budget, recurrence);
      expect(flatten(await forwardOn(backend, run)), recurrence).toEqual(whole);
      backend.dispose();
    }
  });

  it('split a long per-step sequence into step-index chunks of at most 1,024 steps', async () => {
    const run = { config: CONFIGS['rnn relu'], T: 1030, B: 2 };
    const persistent = flatten(await forwardOn(await backendWith({ recurrence: 'persistent' }), run));
    const perStep = flatten(await forwardOn(await backendWith({ recurrence: 'per-step' }), run));
    expect(perStep).toEqual(persistent);
  });
});
