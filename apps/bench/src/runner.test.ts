import { describe, expect, it } from 'vitest';
import { planJobs, SLOW_TRAINING_UNPAIRED, unpairable } from './plan-jobs.js';
import { measuredSteps, pairSchedule, runBench } from './runner.js';
import { runSettings } from './settings.js';
import { shapeById, shapeFlops, trainingFlops } from './shapes.js';
import type { PreparedRow, Subject } from './subject.js';

function subject(name: string, extra: Partial<Subject> = {}): Subject {
  return {
    name,
    kind: 'backend',
    aliases: [],
    ref: { source: 'anchor', name },
    prepare: () => Promise.reject(new Error('not in this test')),
    ...extra,
  };
}

const ts = subject('ts');
const wasm = subject('wasm');
const relaxed = subject('wasm+relaxed', { nodeFlags: ['--experimental-wasm-relaxed-simd'] });
const anchor = subject('ort-web@1t', { kind: 'anchor', isolated: true });
const twoThreads = subject('ort-web@2t', { kind: 'anchor', isolated: true, unpairable: 'own process' });
const slow = subject('tfjs-layers@cpu', { kind: 'anchor', slow: true });
const label = (j: { kind: string; subject: Subject; shape: { id: string }; cell: string }) =>
  `${j.shape.id} ${j.cell} ${j.kind} ${j.subject.name}`;

describe('planJobs', () => {
  it('times every row of a group, then pairs every row that can share the anchor’s process', () => {
    const jobs = planJobs(
      [shapeById('S2')],
      ['gru'],
      [ts, wasm, relaxed, anchor, twoThreads],
      runSettings(true),
    );
    expect(jobs.map(label)).toEqual([
      'S2 gru row ts',
      'S2 gru row wasm',
      'S2 gru row wasm+relaxed',
      'S2 gru row ort-web@1t',
      'S2 gru row ort-web@2t',
      'S2 gru pairs ts',
      'S2 gru pairs wasm',
      'S2 gru pairs wasm+relaxed',
    ]);
  });

  it('plans no pairs without the anchor or with --pairs 0', () => {
    const shapes = [shapeById('S1'), shapeById('S2')];
    expect(planJobs(shapes, ['lstm'], [ts, wasm], runSettings(false)).every((j) => j.kind === 'row')).toBe(
      true,
    );
    const none = planJobs(shapes, ['lstm'], [ts, anchor], runSettings(false, { pairs: 0 }));
    expect(none.map((j) => j.kind)).toEqual(['row', 'row', 'row', 'row']);
  });
});

describe('pairSchedule', () => {
  it('alternates the asked number of pairs after one warm-up pair, one forward per run', () => {
    const quick = runSettings(true);
    expect(pairSchedule(quick, shapeById('S2'), 125, 176)).toEqual({ pairs: 15, warmups: 1, callsPerRun: 1 });
  });

  it('repeats short calls until the faster side runs for 20 ms, and S1 for at least its steps per run', () => {
    const quick = runSettings(true);
    expect(pairSchedule(quick, shapeById('S2'), 5, 176).callsPerRun).toBe(4);
    expect(pairSchedule(quick, shapeById('S1'), 0.04, 0.5).callsPerRun).toBe(500);
    expect(pairSchedule(quick, shapeById('S1'), 4, 12).callsPerRun).toBe(quick.stepsPerRun);
    expect(pairSchedule(quick, shapeById('S1'), 1e-6, 0.5).callsPerRun).toBe(10_000);
  });
});

describe('measuredSteps', () => {
  it('shortens only slow rows of unidirectional forwards in quick mode', () => {
    expect(measuredSteps(runSettings(true), slow, shapeById('S2'))).toBe(20);
    expect(measuredSteps(runSettings(false), slow, shapeById('S2'))).toBe(100);
    expect(measuredSteps(runSettings(true), slow, shapeById('S4'))).toBe(100);
    expect(measuredSteps(runSettings(true), wasm, shapeById('S2'))).toBe(100);
  });
});

describe('training runs (--train)', () => {
  const train = runSettings(true, { train: true });
  const layersWasm = subject('tfjs-layers@wasm', { kind: 'anchor' });

  it('pairs every row with tfjs-layers@wasm instead of ort-web@1t, but not the slow tfjs-layers@cpu', () => {
    const jobs = planJobs([shapeById('S2')], ['lstm'], [ts, wasm, anchor, layersWasm, slow], train);
    expect(jobs.filter((j) => j.kind === 'pairs').map(label)).toEqual([
      'S2 lstm pairs ts',
      'S2 lstm pairs wasm',
      'S2 lstm pairs ort-web@1t',
    ]);
    expect(unpairable(slow, train)).toBe(SLOW_TRAINING_UNPAIRED);
    expect(unpairable(slow, runSettings(true))).toBeNull();
    expect(unpairable(twoThreads, train)).toBe('own process');
  });

  /** A training row whose output is `value` everywhere and whose losses are `losses`. */
  const trainingRow = (value: number, losses: [number, number]) => async (): Promise<PreparedRow> => ({
    output: new Float32Array(100 * 32 * 256).fill(value),
    losses,
    run: async () => undefined,
    dispose: () => undefined,
  });

  it('times training rows, checks their output and first loss fall, and says why the others did not run', async () => {
    const notes: string[] = [];
    const subjects = [
      subject('ts', { prepareTraining: trainingRow(0.5, [0.4, 0.39]) }),
      subject('wasm', { prepareTraining: trainingRow(0.5 + 1e-6, [0.4, 0.39005]) }),
      subject('broken', { prepareTraining: trainingRow(0.5, [0.4, 0.3999]) }),
      subject('forward-only'),
      subject('elsewhere', { prepareTraining: trainingRow(0.6, [0.4, 0.39]) }),
      // Anchors are compared with the first anchor: one bias per gate, a smaller first fall.
      subject('layers', { kind: 'anchor', prepareTraining: trainingRow(0.5, [0.4, 0.3904]) }),
      subject('layers-too', { kind: 'anchor', prepareTraining: trainingRow(0.5, [0.4, 0.39041]) }),
      subject('layers-off', { kind: 'anchor', prepareTraining: trainingRow(0.5, [0.4, 0.39]) }),
    ];
    const { results, skipped } = await runBench(
      [shapeById('S2')],
      ['gru'],
      subjects,
      runSettings(true, { train: true, pairs: 0 }),
      { progress: () => undefined, note: (line) => notes.push(line) },
    );
    expect(results.map((r) => [r.name, r.training, r.losses])).toEqual([
      ['ts', true, [0.4, 0.39]],
      ['wasm', true, [0.4, 0.39005]],
      ['layers', true, [0.4, 0.3904]],
      ['layers-too', true, [0.4, 0.39041]],
    ]);
    const wasmRow = results[1];
    expect(wasmRow.gflops * wasmRow.medianMs * 1e6).toBeCloseTo(trainingFlops(shapeById('S2'), 'gru'), -3);
    expect(trainingFlops(shapeById('S2'), 'gru')).toBe(3 * shapeFlops(shapeById('S2'), 'gru'));
    expect(skipped.map((s) => [s.name, s.reason.split(':')[0]])).toEqual([
      ['broken', 'trains differently from ts'],
      ['forward-only', 'forward-only has no training step'],
      ['elsewhere', 'output differs from ts by 1.00e-1 (limit 0.001)'],
      ['layers-off', 'trains differently from layers'],
    ]);
    expect(notes).toHaveLength(4);
  });
});
