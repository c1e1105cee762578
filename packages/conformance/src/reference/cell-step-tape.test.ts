import { createRandom, initWeights, normalizeConfig, type RecurrentConfig } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { cellStep } from './cell-step.js';
import { readStepTape, recordCellStep, stepTapeLength, writeStepTape } from './cell-step-tape.js';
import { referenceLayerFromWeights } from './reference-layer.js';

const configs: RecurrentConfig[] = [
  { cell: 'lstm', inputSize: 3, hiddenSize: 4 },
  { cell: 'lstm', inputSize: 3, hiddenSize: 4, peephole: true, projSize: 2, clip: 0.3 },
  { cell: 'lstm', inputSize: 3, hiddenSize: 4, coupledInputForget: true, bias: false },
  { cell: 'lstm', inputSize: 3, hiddenSize: 4, activations: { gate: 'hardSigmoid', cell: 'elu' } },
  { cell: 'gru', inputSize: 3, hiddenSize: 4 },
  { cell: 'gru', inputSize: 3, hiddenSize: 4, resetAfter: false, clip: 0.3 },
  { cell: 'rnn', inputSize: 3, hiddenSize: 4, nonlinearity: 'relu' },
];

function random(length: number, next: () => number): Float64Array {
  return Float64Array.from({ length }, () => 4 * next() - 2);
}

describe('recordCellStep', () => {
  for (const config of configs) {
    const cfg = normalizeConfig(config);
    const name = `${cfg.cell}${cfg.peephole ? ' peephole' : ''}${cfg.projSize ? ' projection' : ''}${cfg.clip !== null ? ' clip' : ''}${cfg.coupledInputForget ? ' coupled' : ''}${cfg.cell === 'gru' ? ` resetAfter ${cfg.resetAfter}` : ''}`;
    it(`gives cellStep's h, c and gates bit for bit (${name}), and its values survive the tape`, () => {
      const layer = referenceLayerFromWeights(cfg, initWeights(cfg, { seed: 3 }), 0, 0);
      const next = createRandom(5);
      const x = random(3, next);
      const h = random(layer.outputSize, next);
      const c = cfg.cell === 'lstm' ? random(4, next) : null;
      const expected = cellStep(layer, x, h, c);
      const { result, values } = recordCellStep(layer, x, h, c);
      expect(result.h).toEqual(expected.h);
      expect(result.c).toEqual(expected.c);
      expect(result.gates).toEqual(expected.gates);

      const tape = new Float64Array(3 * stepTapeLength(layer)).fill(Number.NaN);
      writeStepTape(tape, stepTapeLength(layer), layer, values);
      expect(readStepTape(tape, stepTapeLength(layer), layer, x)).toEqual(values);
      // The slot is exactly filled: its neighbours are untouched.
      expect(tape.subarray(0, stepTapeLength(layer)).every(Number.isNaN)).toBe(true);
      expect(tape.subarray(2 * stepTapeLength(layer)).every(Number.isNaN)).toBe(true);
      expect(tape.subarray(stepTapeLength(layer), 2 * stepTapeLength(layer)).some(Number.isNaN)).toBe(false);
    });
  }
});
