import { ACTIVATION_NAMES, FEATURES, normalizeConfig } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { caseFeatures } from '../runner/case-needs.js';
import { CASES, selectCases } from './catalogue.js';
import { buildCaseData } from './conformance-case.js';

describe('case catalogue', () => {
  it('has 40 to 80 uniquely named cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(CASES.length).toBeLessThanOrEqual(80);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it('uses every activation and every feature somewhere', () => {
    const activations = new Set<string>();
    for (const c of CASES) {
      const { activations: a, cell } = normalizeConfig(c.config);
      activations.add(a.candidate.name);
      if (cell !== 'rnn') activations.add(a.gate.name);
      if (cell === 'lstm') activations.add(a.cell.name);
    }
    expect([...activations].sort()).toEqual([...ACTIVATION_NAMES].sort());
    const features = new Set(CASES.flatMap(caseFeatures));
    expect([...features].sort()).toEqual([...FEATURES].sort());
  });

  it('hits SIMD tails, T = 1 and long T, B = 1 and odd B, seqLens of 0 and T, and saturation', () => {
    const sizes = new Set(CASES.flatMap((c) => [c.config.hiddenSize, c.config.inputSize]));
    for (const size of [1, 3, 5, 17, 33, 257]) expect(sizes).toContain(size);
    expect(CASES.some((c) => c.T === 1)).toBe(true);
    expect(CASES.some((c) => c.T >= 200)).toBe(true);
    expect(CASES.some((c) => c.B === 1)).toBe(true);
    expect(CASES.some((c) => c.B % 2 === 1 && c.B > 1)).toBe(true);
    expect(CASES.some((c) => c.options.seqLens?.includes(0) && c.options.seqLens.includes(c.T))).toBe(true);
    expect(CASES.some((c) => c.config.bidirectional && c.options.seqLens)).toBe(true);
    expect(CASES.some((c) => c.inputScale >= 50)).toBe(true);
    expect(CASES.some((c) => c.config.cell === 'gru' && c.config.resetAfter === false)).toBe(true);
  });

  it('builds the same f32 data for a case every time', () => {
    const c = CASES.find((k) => k.options.h0 && k.options.c0)!;
    const a = buildCaseData(c);
    const b = buildCaseData(c);
    expect(a.x.data).toEqual(b.x.data);
    expect(a.options.h0?.data).toEqual(b.options.h0?.data);
    expect(a.weights).toEqual(b.weights);
    expect(a.x.data).toBeInstanceOf(Float32Array);
  });

  it('selects cases by name or predicate and rejects unknown names', () => {
    expect(selectCases(['lstm basic']).map((c) => c.name)).toEqual(['lstm basic']);
    expect(selectCases((c) => c.config.cell === 'rnn').every((c) => c.config.cell === 'rnn')).toBe(true);
    expect(() => selectCases(['no such case'])).toThrow(/no such case/);
  });
});
