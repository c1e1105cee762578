import type { BenchReport } from '../results.js';

/** The --json file: { machine, quick, results: [{ name, shape, cell, medianMs, ... }], skipped }. */
export function jsonReport(report: BenchReport): string {
  const round = (x: number, digits: number) => Number(x.toPrecision(digits));
  return `${JSON.stringify(
    {
      machine: report.machine,
      quick: report.quick,
      results: report.results.map((r) => ({
        name: r.name,
        kind: r.kind,
        shape: r.shape,
        cell: r.cell,
        medianMs: round(r.medianMs, 6),
        minMs: round(r.minMs, 6),
        maxMs: round(r.maxMs, 6),
        gflops: round(r.gflops, 4),
        maxAbsDiff: r.maxAbsDiff,
        peakRssMb: round(r.peakRssMb, 4),
        heapMb: round(r.heapMb, 4),
        runs: r.runs,
        cold: r.cold,
        reference: r.reference,
        isolated: r.isolated,
        measuredSteps: r.measuredSteps,
      })),
      skipped: report.skipped,
    },
    null,
    2,
  )}\n`;
}

/** Reads a --json file back (for --from). */
export function parseJsonReport(text: string): BenchReport {
  const parsed = JSON.parse(text) as BenchReport;
  if (!parsed || !Array.isArray(parsed.results) || typeof parsed.machine !== 'object') {
    throw new Error('--from: expected a file written by --json ({ machine, results, ... })');
  }
  return { ...parsed, skipped: parsed.skipped ?? [], quick: parsed.quick ?? false };
}
