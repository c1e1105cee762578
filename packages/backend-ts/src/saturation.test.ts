import { initWeights, type RecurrentConfig, tensor } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { createTsBackend } from './index.js';

const CONFIGS: RecurrentConfig[] = [
  { cell: 'lstm', inputSize: 3, hiddenSize: 5, peephole: true },
  { cell: 'gru', inputSize: 3, hiddenSize: 5 },
  { cell: 'rnn', inputSize: 3, hiddenSize: 5 },
];

describe('saturating inputs', () => {
  it.each(CONFIGS.map((config) => [config.cell, config] as const))(
    'keep every %s output, state and gate finite and bounded at ±1e30',
    async (_, config) => {
      const backend = await createTsBackend();
      const model = await backend.compile(config, initWeights(config, { seed: 4 }));
      const x = new Float32Array([1e30, -1e30, 1e30, -1e30, 1e30, -1e30]);
      const result = await model.forward(tensor(x, [2, 1, 3]), { returnGates: true });
      for (const value of result.output.data) {
        expect(Number.isFinite(value)).toBe(true);
        expect(Math.abs(value)).toBeLessThanOrEqual(1);
      }
      for (const trace of result.gates!) {
        for (const gate of Object.values(trace.values)) expect(gate.data.every(Number.isFinite)).toBe(true);
      }
      backend.dispose();
    },
  );
});
