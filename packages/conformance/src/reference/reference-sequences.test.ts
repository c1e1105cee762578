import { createRandom, initWeights, type RecurrentConfig, uniformArray } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { referenceForward } from './reference-forward.js';

const random = createRandom(5);
const lstm: RecurrentConfig = { cell: 'lstm', inputSize: 3, hiddenSize: 4 };

/** Rows [t0, t1) of batch element b of a time-major [T, B, I] array, as [t1 - t0, 1, I]. */
function sliceElement(
  data: ArrayLike<number>,
  B: number,
  I: number,
  b: number,
  t0: number,
  t1: number,
): number[] {
  const out: number[] = [];
  for (let t = t0; t < t1; t++) for (let k = 0; k < I; k++) out.push(data[(t * B + b) * I + k]);
  return out;
}

describe('referenceForward sequence semantics', () => {
  it('runs element b for its first L_b steps only, zeroes the rest and keeps h0 when L_b = 0', () => {
    const config: RecurrentConfig = { ...lstm, bidirectional: true };
    const weights = initWeights(config, { seed: 1 });
    const [T, B, I, H] = [4, 3, 3, 4];
    const x = { data: uniformArray(T * B * I, -1, 1, random), shape: [T, B, I] };
    const h0 = uniformArray(2 * B * H, -1, 1, random);
    const r = referenceForward(config, weights, x, { seqLens: [2, 4, 0], h0, returnGates: true });
    // Element 0 alone over its 2 valid steps is the same computation.
    const alone = referenceForward(
      config,
      weights,
      { data: sliceElement(x.data, B, I, 0, 0, 2), shape: [2, 1, I] },
      {
        h0: [...h0.subarray(0, H), ...h0.subarray(B * H, B * H + H)],
      },
    );
    for (let t = 0; t < 2; t++) {
      expect([...r.output.subarray(t * B * 2 * H, (t * B + 1) * 2 * H)]).toEqual([
        ...alone.output.subarray(t * 2 * H, (t + 1) * 2 * H),
      ]);
    }
    for (let t = 2; t < T; t++)
      expect([...r.output.subarray(t * B * 2 * H, (t * B + 1) * 2 * H)].every((v) => v === 0)).toBe(true);
    expect([...r.h.subarray(0, H)]).toEqual([...alone.h.subarray(0, H)]);
    expect([...r.h.subarray(B * H, B * H + H)]).toEqual([...alone.h.subarray(H, 2 * H)]);
    // Element 2 (L = 0): zero output, final state h0, zero gate traces.
    for (let t = 0; t < T; t++)
      expect([...r.output.subarray((t * B + 2) * 2 * H, (t * B + 3) * 2 * H)].every((v) => v === 0)).toBe(
        true,
      );
    expect([...r.h.subarray(2 * H, 3 * H)]).toEqual([...h0.subarray(2 * H, 3 * H)].map(Number));
    expect(
      [...r.gates![1].values.i].filter((_, k) => Math.floor(k / H) % B === 2).every((v) => v === 0),
    ).toBe(true);
  });

  it('puts the forward direction first and the time-reversed reverse direction second', () => {
    const config: RecurrentConfig = { ...lstm, bidirectional: true };
    const weights = initWeights(config, { seed: 2 });
    const [T, I, H] = [5, 3, 4];
    const data = uniformArray(T * I, -1, 1, random);
    const both = referenceForward(config, weights, { data, shape: [T, 1, I] });
    const forward = referenceForward(
      lstm,
      {
        weight_ih_l0: weights.weight_ih_l0,
        weight_hh_l0: weights.weight_hh_l0,
        bias_ih_l0: weights.bias_ih_l0,
        bias_hh_l0: weights.bias_hh_l0,
      },
      { data, shape: [T, 1, I] },
    );
    const reversedX = sliceElement(data, 1, I, 0, 0, T).map(
      (_, k) => data[(T - 1 - Math.floor(k / I)) * I + (k % I)],
    );
    const reverse = referenceForward(
      lstm,
      {
        weight_ih_l0: weights.weight_ih_l0_reverse,
        weight_hh_l0: weights.weight_hh_l0_reverse,
        bias_ih_l0: weights.bias_ih_l0_reverse,
        bias_hh_l0: weights.bias_hh_l0_reverse,
      },
      { data: reversedX, shape: [T, 1, I] },
    );
    for (let t = 0; t < T; t++) {
      expect([...both.output.subarray(t * 2 * H, t * 2 * H + H)]).toEqual([
        ...forward.output.subarray(t * H, (t + 1) * H),
      ]);
      expect([...both.output.subarray(t * 2 * H + H, (t + 1) * 2 * H)]).toEqual([
        ...reverse.output.subarray((T - 1 - t) * H, (T - t) * H),
      ]);
    }
    expect([...both.h.subarray(H, 2 * H)]).toEqual([...reverse.h]);
  });

  it('feeds layer 1 the output of layer 0', () => {
    const config: RecurrentConfig = { cell: 'gru', inputSize: 3, hiddenSize: 4, numLayers: 2 };
    const weights = initWeights(config, { seed: 3 });
    const x = { data: uniformArray(12, -1, 1, random), shape: [2, 2, 3] };
    const stacked = referenceForward(config, weights, x);
    const first = referenceForward({ cell: 'gru', inputSize: 3, hiddenSize: 4 }, weights, x);
    const second = referenceForward(
      { cell: 'gru', inputSize: 4, hiddenSize: 4 },
      {
        weight_ih_l0: weights.weight_ih_l1,
        weight_hh_l0: weights.weight_hh_l1,
        bias_ih_l0: weights.bias_ih_l1,
        bias_hh_l0: weights.bias_hh_l1,
      },
      { data: first.output, shape: [2, 2, 4] },
    );
    expect([...stacked.output]).toEqual([...second.output]);
    expect([...stacked.h]).toEqual([...first.h, ...second.h]);
  });

  it('reads and writes [B, T, ·] with batchFirst and is otherwise the same model', () => {
    const weights = initWeights(lstm, { seed: 4 });
    const [T, B, I, H] = [3, 2, 3, 4];
    const timeMajor = uniformArray(T * B * I, -1, 1, random);
    const batchMajor = new Float32Array(T * B * I);
    for (let t = 0; t < T; t++)
      for (let b = 0; b < B; b++)
        batchMajor.set(timeMajor.subarray((t * B + b) * I, (t * B + b + 1) * I), (b * T + t) * I);
    const a = referenceForward(lstm, weights, { data: timeMajor, shape: [T, B, I] });
    const b = referenceForward({ ...lstm, batchFirst: true }, weights, {
      data: batchMajor,
      shape: [B, T, I],
    });
    expect(b.outputShape).toEqual([B, T, H]);
    expect(b.output[(1 * T + 2) * H]).toBe(a.output[(2 * B + 1) * H]);
    expect([...b.h]).toEqual([...a.h]);
  });

  it('rejects seqLens outside [0, T] and h0 of the wrong size as INVALID_INPUT naming them', () => {
    const weights = initWeights(lstm, { seed: 6 });
    const x = { data: new Float32Array(6), shape: [1, 2, 3] };
    expect(() => referenceForward(lstm, weights, x, { seqLens: [1, 2] })).toThrow(/seqLens\[1\]/);
    expect(() => referenceForward(lstm, weights, x, { h0: [1] })).toThrow(/options\.h0/);
    expect(() => referenceForward(lstm, { ...weights, weight_hh_l0: [1] }, x)).toThrow(/weight_hh_l0/);
  });
});
