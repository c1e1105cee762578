import { describe, expect, it } from 'vitest';
import { measuredSteps, pairSchedule, planJobs } from './runner.js';
import { runSettings } from './settings.js';
import { shapeById } from './shapes.js';
import type { Subject } from './subject.js';

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
