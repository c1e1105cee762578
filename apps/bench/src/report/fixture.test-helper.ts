import type { BenchReport, PairedRatio, RowResult } from '../results.js';
import { runSettings } from '../settings.js';

export function row(
  name: string,
  kind: 'backend' | 'anchor',
  medianMs: number,
  overrides: Partial<RowResult> = {},
): RowResult {
  return {
    name,
    kind,
    shape: 'S2',
    cell: 'lstm',
    medianMs,
    minMs: medianMs * 0.9,
    maxMs: medianMs * 1.2,
    runs: 7,
    cold: false,
    gflops: Number((2.5 / (medianMs / 1000)).toPrecision(4)),
    maxAbsDiff: name === 'ts' ? 0 : 1.5e-7,
    reference: 'ts',
    peakRssMb: 180,
    heapMb: 20,
    isolated: false,
    measuredSteps: 100,
    build: null,
    work: null,
    training: false,
    losses: null,
    paired: null,
    pairedNote: null,
    ...overrides,
  };
}

function paired(median: number, p10: number, p90: number, rowMedianMs: number): PairedRatio {
  return {
    anchor: 'ort-web@1t',
    pairs: 15,
    median,
    p10,
    p90,
    rowMedianMs,
    anchorMedianMs: rowMedianMs / median,
  };
}

export const OWN_PROCESS =
  'onnxruntime-web fixes its thread count once per process, so ort-web@2t cannot share a process with ort-web@1t';

/** A small fixed report: two groups, a reference row, both wasm builds paired with the
 * ort-web@1t anchor, rows that could not be paired, a skipped row. */
export function sampleReport(): BenchReport {
  return {
    machine: {
      cpu: 'Test CPU <x86>',
      cores: 2,
      node: 'v20.20.2',
      os: 'linux 6.1',
      date: '2025-01-01T00:00:00.000Z',
    },
    quick: false,
    settings: runSettings(false),
    results: [
      row('ts', 'backend', 400, { paired: paired(3.9, 3.7, 4.2, 410) }),
      row('wasm', 'backend', 200, { build: 'simd128', paired: paired(1.27, 1.19, 1.31, 130) }),
      row('wasm+relaxed', 'backend', 150, {
        build: 'relaxed-simd',
        isolated: true,
        paired: paired(0.96, 0.91, 1.02, 98),
      }),
      row('ort-web@1t', 'anchor', 100, { isolated: true }),
      row('ort-web@2t', 'anchor', 60, { isolated: true, pairedNote: OWN_PROCESS }),
      row('tfjs-layers@cpu', 'anchor', 5500, {
        runs: 1,
        measuredSteps: 20,
        pairedNote: '15 pairs would take ~18 s (budget 20 s)',
      }),
      row('ts', 'backend', 0.05, { shape: 'S1', cell: 'gru', measuredSteps: 1 }),
      row('ort-web@1t', 'anchor', 0.5, { shape: 'S1', cell: 'gru', measuredSteps: 1, isolated: true }),
      row('ort-web@2t', 'anchor', 0.6, {
        shape: 'S1',
        cell: 'gru',
        measuredSteps: 1,
        isolated: true,
        pairedNote: OWN_PROCESS,
      }),
    ],
    skipped: [{ name: 'ort-node', shape: 'S2', cell: 'lstm', reason: 'onnxruntime-node is not usable here' }],
  };
}

/** A training report (--train): gated rows paired with tfjs-layers@wasm, losses of two steps. */
export function trainingReport(): BenchReport {
  const base = sampleReport();
  const pairedWith = (median: number, p10: number, p90: number, rowMedianMs: number): PairedRatio => ({
    ...paired(median, p10, p90, rowMedianMs),
    anchor: 'tfjs-layers@wasm',
  });
  const trained = { training: true, losses: [0.3388, 0.3382] as const };
  return {
    ...base,
    settings: runSettings(true, { train: true }),
    results: [
      row('ts', 'backend', 2000, { ...trained, paired: pairedWith(0.4, 0.35, 0.45, 2100) }),
      row('wasm', 'backend', 500, { ...trained, build: 'simd128', paired: pairedWith(0.1, 0.09, 0.11, 520) }),
      row('tfjs-layers@wasm', 'anchor', 5200, trained),
      row('tfjs-layers@cpu', 'anchor', 25000, {
        ...trained,
        runs: 1,
        measuredSteps: 20,
        pairedNote: 'a training step takes tens of seconds here: timed on its own, not paired',
      }),
    ],
    skipped: [{ name: 'wasm+relaxed', shape: 'S2', cell: 'lstm', reason: 'wasm does not train yet' }],
  };
}
