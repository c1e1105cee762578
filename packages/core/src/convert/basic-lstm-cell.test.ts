import { describe, expect, it } from 'vitest';
import type { RecurrentConfig } from '../config.js';
import { initWeights } from '../weights.js';
import { fromBasicLstmCell, toBasicLstmCell } from './basic-lstm-cell.js';

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe('BasicLSTMCell converter', () => {
  it('round-trips gated → BasicLSTMCell → gated bit-identically when bias_hh holds the forget bias', () => {
    const config: RecurrentConfig = {
      cell: 'lstm',
      inputSize: 3,
      hiddenSize: 4,
      numLayers: 2,
      bidirectional: true,
    };
    const weights = initWeights(config, { seed: 2 });
    for (const name of Object.keys(weights)) {
      if (name.startsWith('bias_hh')) weights[name].fill(0).fill(0.75, 4, 8);
    }
    const back = fromBasicLstmCell(config, toBasicLstmCell(config, weights, { forgetBias: 0.75 }));
    expect(Object.keys(back).sort()).toEqual(Object.keys(weights).sort());
    for (const name of Object.keys(weights)) expect(bits(back[name]), name).toEqual(bits(weights[name]));
  });

  it('round-trips BasicLSTMCell → gated → BasicLSTMCell bit-identically', () => {
    const config: RecurrentConfig = { cell: 'lstm', inputSize: 5, hiddenSize: 3 };
    const [cell] = toBasicLstmCell(config, initWeights(config, { seed: 4 }));
    const [again] = toBasicLstmCell(config, fromBasicLstmCell(config, cell));
    expect(bits(again.kernel)).toEqual(bits(cell.kernel));
    expect(bits(again.bias)).toEqual(bits(cell.bias));
    expect(again.forgetBias).toBe(1);
  });

  it('stacks x rows over h rows and orders gate columns i, j, f, o', () => {
    const config: RecurrentConfig = { cell: 'lstm', inputSize: 1, hiddenSize: 1 };
    const weights = {
      weight_ih_l0: Float32Array.of(1, 2, 3, 4), // i f g o
      weight_hh_l0: Float32Array.of(5, 6, 7, 8),
      bias_ih_l0: Float32Array.of(0.5, 0.25, 0, 0),
      bias_hh_l0: Float32Array.of(0, 2, 0, 0),
    };
    const [cell] = toBasicLstmCell(config, weights);
    expect(Array.from(cell.kernel)).toEqual([1, 3, 2, 4, 5, 7, 6, 8]);
    // f bias: 0.25 + 2 - forgetBias 1.
    expect(Array.from(cell.bias)).toEqual([0.5, 0, 1.25, 0]);
    expect(Array.from(fromBasicLstmCell(config, cell).bias_hh_l0)).toEqual([0, 1, 0, 0]);
  });

  it('accepts a single cell object for a one-layer model and defaults forgetBias to 1', () => {
    const config: RecurrentConfig = { cell: 'lstm', inputSize: 2, hiddenSize: 2 };
    const weights = fromBasicLstmCell(config, { kernel: new Float32Array(32), bias: new Float32Array(8) });
    expect(Array.from(weights.bias_hh_l0)).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
  });

  it('names the cell, tensor, expected shape and received size on a wrong size', () => {
    const config: RecurrentConfig = { cell: 'lstm', inputSize: 2, hiddenSize: 3, numLayers: 2 };
    const cells = toBasicLstmCell(config, initWeights(config));
    expect(() =>
      fromBasicLstmCell(config, [cells[0], { ...cells[1], kernel: new Float32Array(70) }]),
    ).toThrow('cells[1] (layer 1).kernel: expected shape [6, 12] (72 values), received 70 values');
    expect(() => fromBasicLstmCell(config, [cells[0], { ...cells[1], forgetBias: Number.NaN }])).toThrow(
      'cells[1] (layer 1).forgetBias: expected a finite number, received NaN',
    );
    expect(() => fromBasicLstmCell(config, cells[0])).toThrow(
      /cells: expected an array of 2 layer-direction entries/,
    );
  });

  it('refuses GRUs, projections, peepholes and a missing bias', () => {
    const cell = { kernel: new Float32Array(0), bias: new Float32Array(0) };
    const refuse = (config: RecurrentConfig) =>
      expect(() => fromBasicLstmCell(config, cell)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    refuse({ cell: 'gru', inputSize: 2, hiddenSize: 2 });
    refuse({ cell: 'lstm', inputSize: 2, hiddenSize: 2, projSize: 1 });
    refuse({ cell: 'lstm', inputSize: 2, hiddenSize: 2, peephole: true });
    refuse({ cell: 'lstm', inputSize: 2, hiddenSize: 2, bias: false });
  });
});
