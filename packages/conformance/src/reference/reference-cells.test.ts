import { describe, expect, it } from 'vitest';
import { referenceForward } from './reference-forward.js';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const x1 = (values: number[]) => ({ data: values, shape: [values.length, 1, 1] });

describe('referenceForward on one-unit cells computed by hand', () => {
  const wih = [0.5, -0.3, 0.8, 0.1];
  const whh = [-0.2, 0.4, 0.3, -0.6];
  const bih = [0.1, 0.2, -0.1, 0.05];
  const bhh = [0.02, -0.03, 0.04, 0.01];
  const lstmWeights = { weight_ih_l0: wih, weight_hh_l0: whh, bias_ih_l0: bih, bias_hh_l0: bhh };
  const pre = (k: number, x: number, h: number) => wih[k] * x + bih[k] + whh[k] * h + bhh[k];

  it('computes an LSTM step as i, f, o = σ, g = tanh, c′ = f·c + i·g, h′ = o·tanh(c′)', () => {
    const [x, h, c] = [0.7, 0.3, -0.4];
    const i = sigmoid(pre(0, x, h));
    const f = sigmoid(pre(1, x, h));
    const g = Math.tanh(pre(2, x, h));
    const o = sigmoid(pre(3, x, h));
    const cNew = f * c + i * g;
    const r = referenceForward({ cell: 'lstm', inputSize: 1, hiddenSize: 1 }, lstmWeights, x1([x]), {
      h0: [h],
      c0: [c],
      returnGates: true,
    });
    expect(r.output[0]).toBeCloseTo(o * Math.tanh(cNew), 14);
    expect(r.c![0]).toBeCloseTo(cNew, 14);
    expect(r.gates![0].values.f[0]).toBeCloseTo(f, 14);
    expect(r.gates![0].values.c[0]).toBeCloseTo(cNew, 14);
  });

  it('feeds the i and f peepholes the old c and the o peephole the new c′', () => {
    const [x, h, c] = [0.7, 0.3, -0.4];
    const [pi, pf, po] = [0.9, -0.7, 1.3];
    const i = sigmoid(pre(0, x, h) + pi * c);
    const f = sigmoid(pre(1, x, h) + pf * c);
    const cNew = f * c + i * Math.tanh(pre(2, x, h));
    const o = sigmoid(pre(3, x, h) + po * cNew);
    const r = referenceForward(
      { cell: 'lstm', inputSize: 1, hiddenSize: 1, peephole: true },
      { ...lstmWeights, weight_ph_l0: [pi, pf, po] },
      x1([x]),
      { h0: [h], c0: [c] },
    );
    expect(r.h[0]).toBeCloseTo(o * Math.tanh(cNew), 14);
  });

  it('projects h′ = W_hr·(o ⊙ tanh(c′)) to projSize', () => {
    const weights = {
      weight_ih_l0: [0.5, -0.3, 0.8, 0.1, 0.2, -0.4, 0.6, 0.3],
      weight_hh_l0: [-0.2, 0.4, 0.3, -0.6, 0.1, 0.5, -0.3, 0.2],
      bias_ih_l0: [0.1, 0.2, -0.1, 0.05, 0, 0.1, 0.2, -0.2],
      bias_hh_l0: [0, 0, 0, 0, 0, 0, 0, 0],
      weight_hr_l0: [0.7, -1.1],
    };
    const r = referenceForward(
      { cell: 'lstm', inputSize: 1, hiddenSize: 2, projSize: 1 },
      weights,
      x1([0.9]),
      {
        h0: [0.4],
        returnGates: true,
      },
    );
    const { o, c } = r.gates![0].values;
    expect(r.hShape).toEqual([1, 1, 1]);
    expect(r.cShape).toEqual([1, 1, 2]);
    expect(r.h[0]).toBeCloseTo(0.7 * o[0] * Math.tanh(c[0]) - 1.1 * o[1] * Math.tanh(c[1]), 14);
  });

  it('couples f = 1 − i and clips every pre-activation before its activation', () => {
    const [x, clip] = [3, 0.25];
    const clamp = (v: number) => Math.min(clip, Math.max(-clip, v));
    const i = sigmoid(clamp(pre(0, x, 0)));
    const cNew = i * Math.tanh(clamp(pre(2, x, 0)));
    const o = sigmoid(clamp(pre(3, x, 0)));
    const r = referenceForward(
      { cell: 'lstm', inputSize: 1, hiddenSize: 1, coupledInputForget: true, clip },
      lstmWeights,
      x1([x]),
      {
        returnGates: true,
      },
    );
    expect(r.gates![0].values.f[0]).toBeCloseTo(1 - i, 14);
    expect(r.output[0]).toBeCloseTo(o * Math.tanh(cNew), 14);
  });

  const gw = {
    weight_ih_l0: [0.5, -0.3, 0.8],
    weight_hh_l0: [-0.2, 0.4, 0.9],
    bias_ih_l0: [0.1, 0.2, -0.1],
    bias_hh_l0: [0.3, -0.3, 0.4],
  };
  const gru = (x: number, h: number, resetAfter: boolean) => {
    const r = sigmoid(gw.weight_ih_l0[0] * x + gw.bias_ih_l0[0] + gw.weight_hh_l0[0] * h + gw.bias_hh_l0[0]);
    const z = sigmoid(gw.weight_ih_l0[1] * x + gw.bias_ih_l0[1] + gw.weight_hh_l0[1] * h + gw.bias_hh_l0[1]);
    const n = Math.tanh(
      gw.weight_ih_l0[2] * x +
        gw.bias_ih_l0[2] +
        (resetAfter
          ? r * (gw.weight_hh_l0[2] * h + gw.bias_hh_l0[2])
          : gw.weight_hh_l0[2] * (r * h) + gw.bias_hh_l0[2]),
    );
    return (1 - z) * n + z * h;
  };

  it.each([true, false])('computes two GRU steps with resetAfter %s by formula', (resetAfter) => {
    const h0 = 0.6;
    const h1 = gru(0.7, h0, resetAfter);
    const h2 = gru(-1.2, h1, resetAfter);
    const r = referenceForward(
      { cell: 'gru', inputSize: 1, hiddenSize: 1, resetAfter },
      gw,
      x1([0.7, -1.2]),
      { h0: [h0] },
    );
    expect(r.output[0]).toBeCloseTo(h1, 14);
    expect(r.output[1]).toBeCloseTo(h2, 14);
    expect(r.h[0]).toBeCloseTo(h2, 14);
  });

  it('distinguishes the two GRU reset variants when the recurrent bias is nonzero', () => {
    expect(gru(0.7, 0.6, true)).not.toBeCloseTo(gru(0.7, 0.6, false), 6);
  });

  it('computes RNN relu and tanh steps by formula', () => {
    const w = { weight_ih_l0: [0.8], weight_hh_l0: [-0.5], bias_ih_l0: [0.1], bias_hh_l0: [-0.2] };
    const relu = referenceForward(
      { cell: 'rnn', inputSize: 1, hiddenSize: 1, nonlinearity: 'relu' },
      w,
      x1([1, -1]),
    );
    const h1 = Math.max(0, 0.8 + 0.1 - 0.2);
    expect(relu.output[0]).toBeCloseTo(h1, 14);
    expect(relu.output[1]).toBe(0);
    const tanh = referenceForward({ cell: 'rnn', inputSize: 1, hiddenSize: 1 }, w, x1([1]), { h0: [0.5] });
    expect(tanh.h[0]).toBeCloseTo(Math.tanh(0.8 + 0.1 - 0.5 * 0.5 - 0.2), 14);
  });

  it('applies configured activations with their alpha and beta', () => {
    const w = { weight_ih_l0: [1], weight_hh_l0: [0], bias_ih_l0: [0], bias_hh_l0: [0] };
    const run = (
      candidate: { name: 'scaledTanh' | 'elu' | 'hardSigmoid'; alpha?: number; beta?: number },
      x: number,
    ) =>
      referenceForward({ cell: 'rnn', inputSize: 1, hiddenSize: 1, activations: { candidate } }, w, x1([x]))
        .output[0];
    expect(run({ name: 'scaledTanh', alpha: 2, beta: 0.5 }, 0.8)).toBeCloseTo(2 * Math.tanh(0.4), 14);
    expect(run({ name: 'elu', alpha: 0.5 }, -1)).toBeCloseTo(0.5 * (Math.exp(-1) - 1), 14);
    expect(run({ name: 'hardSigmoid' }, 1)).toBeCloseTo(0.7, 14);
  });
});
