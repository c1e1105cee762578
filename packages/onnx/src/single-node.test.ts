import { type GatedErrorCode, isGatedError, normalizeConfig } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { importOnnx } from './index.js';
import { counting, type SingleNodeSpec, singleNodeModel } from './test-graphs.js';

const H = 2;
const I = 3;

function lstmSpec(
  D: 1 | 2,
  attributes: Record<string, unknown>,
  extra: Partial<SingleNodeSpec> = {},
): SingleNodeSpec {
  return {
    op: 'LSTM',
    attributes: { hidden_size: H, ...attributes },
    W: { dims: [D, 4 * H, I], values: counting(D * 4 * H * I) },
    R: { dims: [D, 4 * H, H], values: counting(D * 4 * H * H, 0.02) },
    B: { dims: [D, 8 * H], values: counting(D * 8 * H, 0.03) },
    ...extra,
  };
}

function gruSpec(attributes: Record<string, unknown>): SingleNodeSpec {
  return {
    op: 'GRU',
    attributes: { hidden_size: H, ...attributes },
    W: { dims: [1, 3 * H, I], values: counting(3 * H * I) },
    R: { dims: [1, 3 * H, H], values: counting(3 * H * H) },
  };
}

function errorOf(fn: () => unknown): { code: GatedErrorCode; message: string } {
  try {
    fn();
  } catch (error) {
    if (isGatedError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a GatedError, nothing was thrown');
}

describe('importing a single LSTM / GRU / RNN node', () => {
  it('reorders LSTM gates from i,o,f,c to i,f,g,o and splits B into the two biases', () => {
    const { config, weights } = importOnnx(singleNodeModel(lstmSpec(1, {})));
    expect(normalizeConfig(config)).toMatchObject({
      cell: 'lstm',
      inputSize: I,
      hiddenSize: H,
      bias: true,
      peephole: false,
    });
    const W = counting(4 * H * I);
    const block = (b: number) => Array.from(W.subarray(b * H * I, (b + 1) * H * I));
    expect(Array.from(weights.weight_ih_l0)).toEqual([...block(0), ...block(2), ...block(3), ...block(1)]);
    const B = counting(8 * H, 0.03);
    expect(Array.from(weights.bias_hh_l0.subarray(0, H))).toEqual(Array.from(B.subarray(4 * H, 5 * H)));
  });

  it('reads peepholes i,o,f into weight_ph i,f,o, clip and input_forget', () => {
    const P = { dims: [1, 3 * H], values: Float32Array.of(1, 2, 3, 4, 5, 6) };
    const { config, weights } = importOnnx(
      singleNodeModel(lstmSpec(1, { clip: 2.5, input_forget: 1 }, { P })),
    );
    expect(normalizeConfig(config)).toMatchObject({ peephole: true, clip: 2.5, coupledInputForget: true });
    expect(Array.from(weights.weight_ph_l0)).toEqual([1, 2, 5, 6, 3, 4]);
  });

  it('reads activations with alpha and beta consumed by the activations that take them', () => {
    const model = singleNodeModel(
      lstmSpec(2, {
        direction: 'bidirectional',
        activations: ['HardSigmoid', 'Softsign', 'ScaledTanh', 'HardSigmoid', 'Softsign', 'ScaledTanh'],
        activation_alpha: [0.25, 1.5, 0.25, 1.5],
        activation_beta: [0.5, 2, 0.5, 2],
      }),
    );
    const c = normalizeConfig(importOnnx(model).config);
    expect(c.bidirectional).toBe(true);
    expect(c.activations).toEqual({
      gate: { name: 'hardSigmoid', alpha: 0.25, beta: 0.5 },
      candidate: { name: 'softsign', alpha: 0, beta: 0 },
      cell: { name: 'scaledTanh', alpha: 1.5, beta: 2 },
    });
  });

  it('maps layout = 1 to batchFirst and infers hidden_size from R when absent', () => {
    const spec = lstmSpec(1, { layout: 1 });
    delete spec.attributes.hidden_size;
    expect(normalizeConfig(importOnnx(singleNodeModel(spec)).config)).toMatchObject({
      batchFirst: true,
      hiddenSize: H,
    });
  });

  it('accepts sequence_lens and initial states as graph inputs (they are run-time inputs, not weights)', () => {
    const model = singleNodeModel(
      lstmSpec(1, {}, { graphInputs: { 4: 'sequence_lens', 5: 'initial_h', 6: 'initial_c' } }),
    );
    expect(importOnnx(model).config.cell).toBe('lstm');
  });

  it('maps GRU linear_before_reset to resetAfter, defaulting to ONNX 0 (reset before)', () => {
    expect(normalizeConfig(importOnnx(singleNodeModel(gruSpec({}))).config)).toMatchObject({
      resetAfter: false,
      bias: false,
    });
    expect(
      normalizeConfig(importOnnx(singleNodeModel(gruSpec({ linear_before_reset: 1 }))).config).resetAfter,
    ).toBe(true);
  });

  it('reorders GRU gates from z,r,h to r,z,n', () => {
    const { weights } = importOnnx(singleNodeModel(gruSpec({})));
    const W = counting(3 * H * I);
    const block = (b: number) => Array.from(W.subarray(b * H * I, (b + 1) * H * I));
    expect(Array.from(weights.weight_ih_l0)).toEqual([...block(1), ...block(0), ...block(2)]);
  });

  it('reads an RNN Relu activation as nonlinearity relu', () => {
    const model = singleNodeModel({
      op: 'RNN',
      attributes: { hidden_size: H, activations: ['Relu'] },
      W: { dims: [1, H, I], values: counting(H * I) },
      R: { dims: [1, H, H], values: counting(H * H) },
    });
    expect(normalizeConfig(importOnnx(model).config).nonlinearity).toBe('relu');
  });

  it("refuses direction 'reverse', naming the node", () => {
    const e = errorOf(() => importOnnx(singleNodeModel(lstmSpec(1, { direction: 'reverse' }))));
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.message).toMatch(/LSTM node .*reverse/);
  });

  it('refuses different activations per direction', () => {
    const spec = lstmSpec(2, {
      direction: 'bidirectional',
      activations: ['Sigmoid', 'Tanh', 'Tanh', 'Sigmoid', 'Relu', 'Tanh'],
    });
    expect(errorOf(() => importOnnx(singleNodeModel(spec))).code).toBe('UNSUPPORTED');
  });

  it('refuses unknown attributes and activations', () => {
    expect(errorOf(() => importOnnx(singleNodeModel(lstmSpec(1, { output_magic: 1 })))).message).toMatch(
      /output_magic/,
    );
    expect(
      errorOf(() => importOnnx(singleNodeModel(lstmSpec(1, { activations: ['Sigmoid', 'Gelu', 'Tanh'] }))))
        .message,
    ).toMatch(/Gelu/);
  });

  it('refuses weights that are graph inputs (computed at run time)', () => {
    const spec = lstmSpec(1, {}, { graphInputs: { 3: 'B_runtime' } });
    const e = errorOf(() => importOnnx(singleNodeModel(spec)));
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.message).toMatch(/B: expected a constant .*graph input "B_runtime"/);
  });

  it('reports W with the wrong dims as INVALID_FILE', () => {
    const spec = lstmSpec(1, {});
    spec.W = { dims: [1, 3 * H, I], values: counting(3 * H * I) };
    const e = errorOf(() => importOnnx(singleNodeModel(spec)));
    expect(e.code).toBe('INVALID_FILE');
    expect(e.message).toMatch(/W: expected dims \[1, 8, 3\], received \[1, 6, 3\]/);
  });

  it('reports non-finite weights as INVALID_FILE', () => {
    const spec = lstmSpec(1, {});
    spec.R.values[0] = Number.NaN;
    expect(errorOf(() => importOnnx(singleNodeModel(spec))).code).toBe('INVALID_FILE');
  });
});
