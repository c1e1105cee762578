import { describe, expect, it } from 'vitest';
import { CHILD_START_GUESS_MS, type EtaJob, EtaModel, type EtaPlan, FIRST_ROW_GUESS_MS } from './eta.js';
import { shapeById } from './shapes.js';

const S1 = shapeById('S1');
const S2 = shapeById('S2');
const S3 = shapeById('S3');

const plan: EtaPlan = {
  anchor: 'ort-web@1t',
  callsPerRun: (shape) => (shape.mode === 'stream' ? 100 : 1),
  runs: () => 7,
  pairsMs: (_job, row, anchor) => 16 * (row + anchor),
};

const row = (subject: string, shape = S2, cell: 'lstm' | 'gru' = 'lstm'): EtaJob => ({
  kind: 'row',
  subject,
  shape,
  cell,
});
const pairs = (subject: string, shape = S2, cell: 'lstm' | 'gru' = 'lstm'): EtaJob => ({
  ...row(subject, shape, cell),
  kind: 'pairs',
});

describe('EtaModel', () => {
  it('guesses before it has seen anything', () => {
    const eta = new EtaModel(plan);
    expect(eta.estimate(row('wasm'))).toBe(FIRST_ROW_GUESS_MS);
    expect(eta.estimate(pairs('wasm'))).toBe(CHILD_START_GUESS_MS);
  });

  it('predicts a row from the same subject on another cell, scaled by FLOPs', () => {
    const eta = new EtaModel(plan);
    // LSTM: 1000 ms of preparation + (first output, warm-up, 7 runs) × 100 ms.
    eta.recordRow(row('ts'), 1000 + 9 * 100, 100, 7);
    // GRU has 3 gates to LSTM's 4.
    expect(eta.predictCallMs('ts', S2, 'gru')).toBeCloseTo(75);
    expect(eta.estimate(row('ts', S2, 'gru'))).toBeCloseTo(1000 + 9 * 75);
  });

  it('scales forward rows between shapes but never predicts a stream step from a forward', () => {
    const eta = new EtaModel(plan);
    eta.recordRow(row('wasm'), 9 * 100, 100, 7);
    expect(eta.predictCallMs('wasm', S3, 'lstm')).toBeGreaterThan(100);
    expect(eta.predictCallMs('wasm', S1, 'lstm')).toBeNull();
  });

  it('falls back to what other rows of the shape took', () => {
    const eta = new EtaModel(plan);
    eta.recordRow(row('ts'), 4000, 100, 7);
    eta.recordRow(row('wasm'), 2000, 10, 7);
    eta.recordRow(row('ts', S1), 500, 0.3, 7);
    expect(eta.estimate(row('onnx'))).toBe(3000);
    expect(eta.estimate(row('onnx', S3))).toBeCloseTo(6500 / 3);
  });

  it('estimates pairs from both sides per call and the children seen so far', () => {
    const eta = new EtaModel(plan);
    eta.recordRow(row('wasm'), 2000, 125, 7);
    eta.recordRow(row('ort-web@1t'), 3000, 176, 7);
    expect(eta.estimate(pairs('wasm'))).toBe(16 * 301 + CHILD_START_GUESS_MS);
    eta.recordPairs(16 * 301 + 1200, 16 * 301);
    expect(eta.estimate(pairs('wasm'))).toBe(16 * 301 + 1200);
  });

  it('expects no time for pairs that the budget rule will skip', () => {
    const eta = new EtaModel({ ...plan, pairsMs: () => 0 });
    eta.recordRow(row('tfjs-layers@cpu'), 60_000, 10_000, 3);
    eta.recordRow(row('ort-web@1t'), 3000, 176, 7);
    expect(eta.estimate(pairs('tfjs-layers@cpu'))).toBe(0);
  });

  it('sums the jobs left', () => {
    const eta = new EtaModel(plan);
    expect(eta.total([row('a'), row('b'), pairs('a')])).toBe(2 * FIRST_ROW_GUESS_MS + CHILD_START_GUESS_MS);
  });
});
