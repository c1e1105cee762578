import { type LayerSpec, normalizeConfig, type RecurrentConfig } from '@gated/core';
import { describe, expect, it } from 'vitest';
import type { DeviceBudget } from '../gpu/device-budget.js';
import { layerShape } from '../layer/layer-shape.js';
import { MAX_STEP_INDEX, planSequence } from './plan-sequence.js';

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
  /** planSequence for an LSTM or GRU of the given sizes, T steps and B rows. */
  const plan = (
    cell: 'lstm' | 'gru',
    I: number,
    H: number,
    T: number,
    B: number,
    path: 'auto' | 'persistent' | 'per-step' = 'auto',
  ) => planSequence(shapeOf({ cell, inputSize: I, hiddenSize: H }), T, B, DEFAULTS, path, null);

  it('runs S1, S2 and S4 on the persistent path, a whole sequence in one chunk', () => {
    for (const cell of ['lstm', 'gru'] as const) {
      // S4, both layers
      for (const inputSize of [128, 256]) {
        expect(plan(cell, inputSize, 128, 100, 16)).toEqual({
          path: 'persistent',
          rows: 1,
          workgroupSize: 128,
          chunkSteps: 100,
        });
      }
      expect(plan(cell, 128, 256, 100, 32)).toEqual({
        path: 'persistent',
        rows: 1,
        workgroupSize: 256,
        chunkSteps: 100,
      });
      expect(plan(cell, 64, 256, 1, 1).path).toBe('persistent');
    }
  });

  it('takes the per-step path for S3, where a step is more work than one workgroup should do', () => {
    // 8 groups of 64 units × 16 blocks of 4 rows: 128 workgroups, each weight load shared by 4 rows.
    expect(plan('lstm', 512, 512, 50, 64)).toEqual({
      path: 'per-step',
      rows: 4,
      workgroupSize: 64,
      chunkSteps: 50,
    });
    expect(plan('gru', 512, 512, 50, 64).path).toBe('per-step');
  });

  it('spreads a small per-step grid: one row per thread where blocks of 4 would leave few workgroups', () => {
    // S2 forced per-step: 4 groups of 64 units × 32 rows = 128 workgroups.
    expect(plan('lstm', 128, 256, 100, 32, 'per-step')).toEqual({
      path: 'per-step',
      rows: 1,
      workgroupSize: 64,
      chunkSteps: 100,
    });
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
