import { type LayerSpec, type LayerWeights, normalizeConfig, type RecurrentConfig } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { fromHalfBits } from './half-float.js';
import { layerShape, weightLayout } from './layer-shape.js';
import { packWeights } from './pack-weights.js';

const NAMES = { weightIh: 'weight_ih_l0', weightHh: 'weight_hh_l0', weightHr: 'weight_hr_l0' };

function specOf(config: RecurrentConfig): LayerSpec {
  const normalized = normalizeConfig(config);
  const Hout = normalized.projSize || normalized.hiddenSize;
  return {
    config: normalized,
    layer: 0,
    direction: 0,
    inputSize: normalized.inputSize,
    hiddenSize: normalized.hiddenSize,
    outputSize: Hout,
  };
}

/** Tensors whose values say where they came from: 1000·tensor + row·10 + column. */
function labelled(G: number, H: number, I: number, P: number): LayerWeights {
  const matrix = (id: number, rows: number, cols: number) =>
    Float32Array.from({ length: rows * cols }, (_, k) => id * 1000 + Math.floor(k / cols) * 10 + (k % cols));
  return {
    weightIh: matrix(1, G * H, I),
    weightHh: matrix(2, G * H, P),
    biasIh: Float32Array.from({ length: G * H }, (_, n) => n),
    biasHh: Float32Array.from({ length: G * H }, (_, n) => 0.5 * n),
    weightHr: P === H ? null : matrix(3, P, H),
    weightPh: Float32Array.from({ length: 3 * H }, (_, j) => -j),
  };
}

describe('packWeights', () => {
  it('stores W_ih and W_hh k-major, sums the biases, and places W_hr and the peepholes after W_hh', () => {
    const config: RecurrentConfig = {
      cell: 'lstm',
      inputSize: 3,
      hiddenSize: 2,
      projSize: 1,
      peephole: true,
    };
    const shape = layerShape(specOf(config), 'f32');
    const layout = weightLayout(shape);
    const packed = packWeights(shape, labelled(4, 2, 3, 1), NAMES);
    const input = new Float32Array(packed.input.buffer);
    const recurrent = new Float32Array(packed.recurrent.buffer);
    // W_ihᵀ[k, n] = W_ih[n, k]
    expect(input[2 * 8 + 5]).toBe(1000 + 5 * 10 + 2);
    expect(input[layout.inputBias + 6]).toBe(6 + 3);
    expect(recurrent[0 * 8 + 7]).toBe(2000 + 7 * 10);
    // W_hrᵀ[k, m] = W_hr[m, k], [H, P]
    expect(recurrent[layout.projection + 1]).toBe(3000 + 1);
    expect([...recurrent.subarray(layout.peephole, layout.peephole + 6)]).toEqual([-0, -1, -2, -3, -4, -5]);
    expect(packed.recurrent.length).toBe(layout.recurrentWords);
  });

  it("keeps a resetAfter GRU's b_hn apart and out of the summed bias", () => {
    const shape = layerShape(specOf({ cell: 'gru', inputSize: 1, hiddenSize: 2 }), 'f32');
    const layout = weightLayout(shape);
    const packed = packWeights(shape, labelled(3, 2, 1, 2), NAMES);
    const input = new Float32Array(packed.input.buffer);
    const recurrent = new Float32Array(packed.recurrent.buffer);
    expect([...input.subarray(layout.inputBias, layout.inputBias + 6)]).toEqual([0, 1.5, 3, 4.5, 4, 5]);
    expect([...recurrent.subarray(layout.hiddenBiasN, layout.hiddenBiasN + 2)]).toEqual([2, 2.5]);
  });

  it('pairs rows k, k + 1 in one word as f16, and pads an odd depth with zero', () => {
    const shape = layerShape(specOf({ cell: 'rnn', inputSize: 3, hiddenSize: 2 }), 'f16');
    const weights = { ...labelled(1, 2, 3, 2), weightIh: Float32Array.of(0.5, -1, 2, 0.25, 3, -0.125) };
    const packed = packWeights(shape, weights, NAMES);
    const word = (w: number) => [fromHalfBits(w & 0xffff), fromHalfBits(w >>> 16)];
    // column n = 0 (row 0 of W_ih: 0.5, -1, 2), column n = 1 (row 1: 0.25, 3, -0.125)
    expect(word(packed.input[0])).toEqual([0.5, -1]);
    expect(word(packed.input[1])).toEqual([0.25, 3]);
    expect(word(packed.input[2])).toEqual([2, 0]);
    expect(word(packed.input[3])).toEqual([-0.125, 0]);
  });

  it("refuses a weight outside the f16 range for 'f16', naming the tensor", () => {
    const shape = layerShape(specOf({ cell: 'rnn', inputSize: 1, hiddenSize: 1 }), 'f16');
    const weights = { ...labelled(1, 1, 1, 1), weightHh: Float32Array.of(1e5) };
    expect(() => packWeights(shape, weights, NAMES)).toThrowError(
      expect.objectContaining({ code: 'INVALID_WEIGHTS', message: expect.stringContaining('weight_hh_l0') }),
    );
  });
});
