import type { PairedRatio } from '../results.js';

/** Milliseconds with ~3 significant digits: 0.0412, 1.23, 123, 12345. */
export function formatMs(ms: number): string {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toPrecision(3);
}

export function formatGflops(gflops: number): string {
  if (gflops >= 10) return gflops.toFixed(1);
  return gflops >= 0.1 ? gflops.toFixed(2) : gflops.toPrecision(2);
}

export function formatDiff(diff: number, isReference: boolean): string {
  return isReference ? 'ref' : diff.toExponential(1);
}

/** A ratio with 2 decimals below 100 (×0.78, ×1.25), whole above (×535). */
export function formatFactor(ratio: number): string {
  return ratio >= 100 ? ratio.toFixed(0) : ratio.toFixed(2);
}

/** How many times slower than the baseline (×1.00 = the same). */
export function formatRatio(ms: number, baseline: number | null): string {
  return baseline === null ? '–' : `×${formatFactor(ms / baseline)}`;
}

/** The paired ratio: median and p10–p90, "×0.78 [0.74–0.83]". */
export function formatPaired(p: PairedRatio | null): string {
  return p ? `×${formatFactor(p.median)} [${formatFactor(p.p10)}–${formatFactor(p.p90)}]` : '–';
}

/** The losses of a training row's first two steps, "0.3388 → 0.3382"; '–' for other rows. */
export function formatLosses(losses: readonly [number, number] | null): string {
  return losses ? `${losses[0].toPrecision(4)} → ${losses[1].toPrecision(4)}` : '–';
}
