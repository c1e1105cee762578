import type { BenchReport, RowResult } from '../results.js';

function row(
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
    gflops: 2.5 / (medianMs / 1000),
    maxAbsDiff: name === 'ts' ? 0 : 1.5e-7,
    reference: 'ts',
    peakRssMb: 180,
    heapMb: 20,
    isolated: false,
    measuredSteps: 100,
    ...overrides,
  };
}

/** A small fixed report: two groups, a reference row, an ort-web@1t baseline, a skipped row. */
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
    results: [
      row('ts', 'backend', 400),
      row('wasm', 'backend', 200),
      row('ort-web@1t', 'anchor', 100, { isolated: true }),
      row('tfjs-layers@cpu', 'anchor', 5500, { runs: 1, measuredSteps: 20 }),
      row('ts', 'backend', 0.05, { shape: 'S1', cell: 'gru', measuredSteps: 1 }),
      row('ort-web@1t', 'anchor', 0.5, { shape: 'S1', cell: 'gru', measuredSteps: 1 }),
    ],
    skipped: [{ name: 'ort-node', shape: 'S2', cell: 'lstm', reason: 'onnxruntime-node is not usable here' }],
  };
}
