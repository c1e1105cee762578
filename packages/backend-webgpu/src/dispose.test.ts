import { initWeights, type RecurrentConfig, tensor } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { BufferUsage, MAP_MODE_READ } from './gpu/gpu-flags.js';
import { createWebGpuBackend } from './index.js';
import { createTestDevice, settleWithin } from './test-device.test-helper.js';

const CONFIG: RecurrentConfig = {
  cell: 'gru',
  inputSize: 3,
  hiddenSize: 5,
  numLayers: 2,
  bidirectional: true,
};
const WEIGHTS = initWeights(CONFIG, { seed: 9 });
const X = tensor(new Float32Array(4 * 2 * 3).fill(0.25), [4, 2, 3]);

describe('dispose', () => {
  it('leaves no GPU buffer alive after 1,000 compile, forward, dispose cycles', {
    timeout: 120_000,
  }, async () => {
    const backend = await createWebGpuBackend();
    let peak = 0;
    for (let cycle = 0; cycle < 1000; cycle++) {
      const model = await backend.compile(CONFIG, WEIGHTS);
      await model.forward(X, { returnGates: cycle % 2 === 0, seqLens: cycle % 3 === 0 ? [4, 1] : undefined });
      peak = Math.max(peak, backend.stats.liveBuffers);
      model.dispose();
      expect(backend.stats.liveBuffers).toBe(0);
    }
    expect(peak).toBeGreaterThan(0);
    backend.dispose();
    expect(backend.stats.liveBuffers).toBe(0);
  });

  it('frees the buffers of streams and of forwards still in flight', async () => {
    const backend = await createWebGpuBackend();
    const config: RecurrentConfig = { cell: 'lstm', inputSize: 3, hiddenSize: 4 };
    const model = await backend.compile(config, initWeights(config, { seed: 1 }));
    const stream = model.stream({ batch: 2 });
    await stream.step(tensor(new Float32Array(6), [2, 3]));
    const pending = model.forward(X);
    model.dispose();
    await expect(pending).resolves.toHaveProperty('output');
    expect(backend.stats.liveBuffers).toBe(0);
    backend.dispose();
  });

  it('leaves a shared device alive and usable', async () => {
    const device = await createTestDevice();
    let lost = false;
    void device.lost.then(() => {
      lost = true;
    });
    const backend = await createWebGpuBackend({ device });
    const model = await backend.compile(CONFIG, WEIGHTS);
    await model.forward(X);
    backend.dispose();
    const buffer = device.createBuffer({ size: 16, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    await settleWithin(buffer.mapAsync(MAP_MODE_READ));
    expect(new Float32Array(buffer.getMappedRange())).toEqual(new Float32Array(4));
    buffer.unmap();
    buffer.destroy();
    expect(lost).toBe(false);
    device.destroy();
  });

  it('destroys a device of its own, after the forwards in flight complete', async () => {
    const backend = await createWebGpuBackend();
    const model = await backend.compile(CONFIG, WEIGHTS);
    const pending = model.forward(X);
    backend.dispose();
    await expect(settleWithin(pending)).resolves.toHaveProperty('output');
    const info = await settleWithin(backend.device.lost);
    expect(info.reason).toBe('destroyed');
  });
});
