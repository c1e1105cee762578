import { type LayerSpec, normalizeConfig, type RecurrentConfig } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { layerShape } from '../layer/layer-shape.js';
import { type DeviceBudget, MAX_STEP_INDEX, planSequence } from './plan-sequence.js';

/** WebGPU's default limits, plus a 64 MiB chunk budget. */
const DEFAULTS: DeviceBudget = {
  maxBindingBytes: 128 * 2 ** 20,
  maxWorkgroupBytes: 16384,
  maxInvocations: 256,
  maxWorkgroups: 65535,
  preBudgetBytes: 64 * 2 ** 20,
};

function shapeOf(config: RecurrentConfig) {
  const c = normalizeConfig(config);
  const spec: LayerSpec = {
    config: c,
    layer: 0,
    direction: 0,
    inputSize: c.inputSize,
    hiddenSize: c.hiddenSize,
    outputSize: c.projSize || c.hiddenSize,
  };
  return layerShape(spec, 'f32');
}

describe('planSequence', () => {
  it('runs the standard shapes S2 and S4 on the persistent path, whole sequences in one chunk', () => {
    const s2 = planSequence(
      shapeOf({ cell: 'lstm', inputSize: 128, hiddenSize: 256 }),
      100,
      32,
      DEFAULTS,
      'auto',
      null,
    );
    expect(s2).toEqual({ path: 'persistent', rows: 1, workgroupSize: 256, chunkSteps: 100 });
    const s4 = planSequence(
      shapeOf({ cell: 'gru', inputSize: 256, hiddenSize: 128 }),
      100,
      16,
      DEFAULTS,
      'auto',
      null,
    );
    expect(s4.path).toBe('persistent');
  });

  it('takes the per-step path when a step is more work than one workgroup should do', () => {
    const s3 = planSequence(
      shapeOf({ cell: 'lstm', inputSize: 512, hiddenSize: 512 }),
      50,
      64,
      DEFAULTS,
      'auto',
      null,
    );
    expect(s3.path).toBe('per-step');
    expect(s3.rows).toBe(4);
  });

  it("falls back to per-step when the state does not fit the device's workgroup memory", () => {
    const shape = shapeOf({ cell: 'gru', inputSize: 8, hiddenSize: 4096, resetAfter: false });
    expect(planSequence(shape, 10, 1, DEFAULTS, 'persistent', null).path).toBe('per-step');
  });

  it('gives a persistent workgroup more batch rows when the batch is large, as many as fit', () => {
    const shape = shapeOf({ cell: 'lstm', inputSize: 8, hiddenSize: 64 });
    expect(planSequence(shape, 10, 128, DEFAULTS, 'persistent', null).rows).toBe(1);
    expect(planSequence(shape, 10, 300, DEFAULTS, 'persistent', null).rows).toBe(3);
    expect(planSequence(shape, 10, 5000, DEFAULTS, 'persistent', null).rows).toBe(4);
  });

  it('cuts long sequences into chunks by memory, and per-step ones by the step index', () => {
    const shape = shapeOf({ cell: 'lstm', inputSize: 8, hiddenSize: 256 });
    // 1024 gate values × 4 bytes × 64 rows = 256 KiB a step: 256 steps in 64 MiB.
    expect(planSequence(shape, 1000, 64, DEFAULTS, 'persistent', null).chunkSteps).toBe(256);
    expect(planSequence(shape, 5000, 1, DEFAULTS, 'per-step', null).chunkSteps).toBe(MAX_STEP_INDEX);
  });

  it('refuses, as INVALID_INPUT naming x, a batch whose single step cannot be bound', () => {
    const shape = shapeOf({ cell: 'lstm', inputSize: 8, hiddenSize: 256 });
    expect(() =>
      planSequence(shape, 1, 40000, { ...DEFAULTS, maxBindingBytes: 2 ** 27 }, 'auto', null),
    ).toThrowError(
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/^x: /) }),
    );
  });
});
