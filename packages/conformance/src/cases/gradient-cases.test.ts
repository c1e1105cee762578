import { ACTIVATION_NAMES, normalizeConfig, TRAINING_UNSUPPORTED_ACTIVATIONS } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { CASES } from './catalogue.js';
import {
  buildGradientCaseData,
  GRADIENT_CASES,
  type GradientCase,
  selectGradientCases,
} from './gradient-cases.js';

const trained = GRADIENT_CASES.filter((c) => c.expect === 'gradients');
const configs = (cases: readonly GradientCase[]) => cases.map((c) => normalizeConfig(c.config));

function activationsOf(c: GradientCase): string[] {
  const { activations: a, cell } = normalizeConfig(c.config);
  if (cell === 'rnn') return [a.candidate.name];
  if (cell === 'gru') return [a.gate.name, a.candidate.name];
  return [a.gate.name, a.candidate.name, a.cell.name];
}

describe('gradient case catalogue', () => {
  it('has 30 to 50 uniquely named cases, none named like a forward case', () => {
    expect(GRADIENT_CASES.length).toBeGreaterThanOrEqual(30);
    expect(GRADIENT_CASES.length).toBeLessThanOrEqual(50);
    const names = new Set(GRADIENT_CASES.map((c) => c.name));
    expect(names.size).toBe(GRADIENT_CASES.length);
    for (const c of CASES) expect(names.has(c.name)).toBe(false);
  });

  it('trains through every activation but thresholdedRelu, which a case expects refused', () => {
    const trainedActivations = new Set(trained.flatMap(activationsOf));
    const expected = ACTIVATION_NAMES.filter((name) => !TRAINING_UNSUPPORTED_ACTIVATIONS.includes(name));
    expect([...trainedActivations].sort()).toEqual([...expected].sort());
    const refused = GRADIENT_CASES.filter((c) => c.expect === 'UNSUPPORTED');
    expect(refused.flatMap(activationsOf)).toContain('thresholdedRelu');
  });

  it('covers every cell, both GRU variants and every option with a derivative', () => {
    const all = configs(trained);
    expect(new Set(all.map((c) => c.cell))).toEqual(new Set(['lstm', 'gru', 'rnn']));
    expect(all.some((c) => c.cell === 'gru' && c.resetAfter)).toBe(true);
    expect(all.some((c) => c.cell === 'gru' && !c.resetAfter)).toBe(true);
    expect(all.some((c) => c.cell === 'rnn' && c.nonlinearity === 'relu')).toBe(true);
    expect(all.some((c) => c.cell === 'lstm' && c.peephole)).toBe(true);
    expect(all.some((c) => c.cell === 'lstm' && c.coupledInputForget)).toBe(true);
    expect(all.some((c) => c.projSize > 0)).toBe(true);
    for (const cell of ['lstm', 'gru', 'rnn']) {
      expect(all.some((c) => c.cell === cell && c.clip !== null)).toBe(true);
      expect(all.some((c) => c.cell === cell && c.numLayers > 1 && c.bidirectional)).toBe(true);
      expect(all.some((c) => c.cell === cell && !c.bias)).toBe(true);
    }
    expect(all.some((c) => c.batchFirst)).toBe(true);
  });

  it('has seqLens with 0 and T, initial states, and cases that omit upstream parts', () => {
    expect(trained.some((c) => c.options.seqLens?.includes(0) && c.options.seqLens.includes(c.T))).toBe(true);
    expect(trained.some((c) => c.options.seqLens && c.config.bidirectional)).toBe(true);
    expect(trained.some((c) => c.options.h0 && c.options.c0)).toBe(true);
    for (const part of ['output', 'h', 'c'] as const)
      expect(trained.some((c) => c.config.cell === 'lstm' && !c.upstream.includes(part))).toBe(true);
    expect(trained.some((c) => c.upstream.length === 0)).toBe(true);
  });

  it('hits SIMD tails, odd B, T = 1 and T = 40, and stays small for CI', () => {
    const hidden = new Set(trained.map((c) => c.config.hiddenSize));
    const input = new Set(trained.map((c) => c.config.inputSize));
    for (const size of [5, 17, 33]) expect(hidden).toContain(size);
    for (const size of [3, 17]) expect(input).toContain(size);
    expect(trained.some((c) => c.B % 2 === 1 && c.B > 1)).toBe(true);
    expect(trained.some((c) => c.B === 1)).toBe(true);
    expect(trained.some((c) => c.T === 1)).toBe(true);
    expect(trained.some((c) => c.T >= 40)).toBe(true);
    for (const c of trained) {
      const { hiddenSize: H, inputSize: I } = c.config;
      expect(c.T * c.B * (I + H) * H, c.name).toBeLessThanOrEqual(40_000);
    }
  });

  it('builds the same upstream gradients every time, omitting a part without reseeding the others', () => {
    const full = GRADIENT_CASES.find((c) => c.name === 'grad lstm basic h0 c0')!;
    const a = buildGradientCaseData(full);
    const b = buildGradientCaseData(full);
    expect(a.upstream.output?.data).toEqual(b.upstream.output?.data);
    expect(a.upstream.c?.shape).toEqual([1, 3, 5]);
    const hOnly = buildGradientCaseData({ ...full, upstream: ['h'] });
    expect(hOnly.upstream.output).toBeUndefined();
    expect(hOnly.upstream.c).toBeUndefined();
    expect(hOnly.upstream.h?.data).toEqual(a.upstream.h?.data);
  });

  it('gives a GRU or RNN no upstream c, and a batchFirst model a batch-first upstream output', () => {
    for (const c of GRADIENT_CASES.filter((k) => k.config.cell !== 'lstm'))
      expect(c.upstream).not.toContain('c');
    const batchFirst = GRADIENT_CASES.find((c) => c.config.batchFirst && c.upstream.includes('output'))!;
    const data = buildGradientCaseData(batchFirst);
    expect(data.upstream.output?.shape.slice(0, 2)).toEqual([batchFirst.B, batchFirst.T]);
  });

  it('selects cases by name or predicate and rejects unknown names', () => {
    expect(selectGradientCases(['grad gru no bias']).map((c) => c.name)).toEqual(['grad gru no bias']);
    expect(selectGradientCases((c) => c.config.cell === 'rnn').every((c) => c.config.cell === 'rnn')).toBe(
      true,
    );
    expect(() => selectGradientCases(['no such case'])).toThrow(/no such case/);
  });
});
