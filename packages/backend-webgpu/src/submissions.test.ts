import { initWeights, type RecurrentConfig, tensor } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { createWebGpuBackend, type WebGpuBackend } from './index.js';

/** S4's structure (2 layers, bidirectional, T = 100) at a size SwiftShader runs quickly. */
const STACK: RecurrentConfig = {
  cell: 'lstm',
  inputSize: 8,
  hiddenSize: 8,
  numLayers: 2,
  bidirectional: true,
};
const T = 100;
const B = 16;
const X = tensor(new Float32Array(T * B * 8).fill(0.1), [T, B, 8]);

async function countsOf(backend: WebGpuBackend, run: () => Promise<unknown>) {
  const before = backend.stats;
  await run();
  const after = backend.stats;
  const byKernel: Record<string, number> = {};
  for (const [kernel, n] of Object.entries(after.dispatchesByKernel)) {
    const d = n - (before.dispatchesByKernel[kernel] ?? 0);
    if (d > 0) byKernel[kernel] = d;
  }
  return {
    submissions: after.submissions - before.submissions,
    readbacks: after.readbacks - before.readbacks,
    dispatches: after.dispatches - before.dispatches,
    byKernel,
    pipelines: after.pipelines - before.pipelines,
    bindGroups: after.bindGroups - before.bindGroups,
  };
}

describe('work per call', () => {
  it('runs a whole stacked bidirectional forward as one submission and one readback', async () => {
    const backend = await createWebGpuBackend({ recurrence: 'persistent' });
    const model = await backend.compile(STACK, initWeights(STACK, { seed: 1 }));
    const first = await countsOf(backend, () => model.forward(X, { returnGates: true }));
    expect(first).toMatchObject({ submissions: 1, readbacks: 1, dispatches: 8 });
    expect(first.byKernel).toEqual({ gemm: 4, persistent: 4 });
    backend.dispose();
  });

  it('takes one dispatch per step and layer-direction on the per-step path, still one submission', async () => {
    const backend = await createWebGpuBackend({ recurrence: 'per-step' });
    const model = await backend.compile(STACK, initWeights(STACK, { seed: 1 }));
    const counts = await countsOf(backend, () => model.forward(X));
    expect(counts).toMatchObject({ submissions: 1, readbacks: 1 });
    expect(counts.byKernel).toEqual({ gemm: 4, step: 4 * T });
    backend.dispose();
  });

  it('builds pipelines and bind groups once: a second forward of the same shape builds none', async () => {
    const backend = await createWebGpuBackend();
    const model = await backend.compile(STACK, initWeights(STACK, { seed: 1 }));
    const first = await countsOf(backend, () => model.forward(X));
    const second = await countsOf(backend, () => model.forward(X));
    expect(first.pipelines).toBeGreaterThan(0);
    expect(first.bindGroups).toBeGreaterThan(0);
    expect(second).toMatchObject({ pipelines: 0, bindGroups: 0 });
    backend.dispose();
  });

  it('runs a stream step as one submission that keeps the state on the device', async () => {
    const config: RecurrentConfig = { cell: 'gru', inputSize: 4, hiddenSize: 6, numLayers: 3 };
    const backend = await createWebGpuBackend();
    const model = await backend.compile(config, initWeights(config, { seed: 2 }));
    const stream = model.stream({ batch: 2 });
    const xt = tensor(new Float32Array(8).fill(0.3), [2, 4]);
    await stream.step(xt);
    const step = await countsOf(backend, () => stream.step(xt));
    expect(step).toMatchObject({ submissions: 1, readbacks: 1, dispatches: 6, pipelines: 0, bindGroups: 0 });
    expect(step.byKernel).toEqual({ gemm: 3, persistent: 3 });
    backend.dispose();
  });
});
