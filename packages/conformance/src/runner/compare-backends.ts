import { maxAbsDifference } from '../tolerance.js';
import type { ConformanceReport } from './report.js';

/** Pairwise max |a − b| between backends' results (output, h, c). null = no case both ran. */
export interface BackendComparison {
  readonly backends: readonly string[];
  /** [i][j] = max over cases */
  readonly maxAbsDiff: readonly (readonly (number | null)[])[];
  /** case → [i][j] for that case */
  readonly perCase: Readonly<Record<string, readonly (readonly (number | null)[])[]>>;
}

export function compareBackends(reports: readonly ConformanceReport[]): BackendComparison {
  const n = reports.length;
  const caseNames = [...new Set(reports.flatMap((r) => Object.keys(r.outputs)))];
  const maxAbsDiff: (number | null)[][] = reports.map(() => reports.map(() => null));
  const perCase: Record<string, (number | null)[][]> = {};
  for (const name of caseNames) {
    const table: (number | null)[][] = reports.map(() => reports.map(() => null));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const a = reports[i].outputs[name];
        const b = reports[j].outputs[name];
        if (!a || !b) continue;
        const diff = Math.max(
          maxAbsDifference(a.output, b.output),
          maxAbsDifference(a.h, b.h),
          a.c && b.c ? maxAbsDifference(a.c, b.c) : 0,
        );
        table[i][j] = diff;
        maxAbsDiff[i][j] = Math.max(maxAbsDiff[i][j] ?? 0, diff);
      }
    }
    perCase[name] = table;
  }
  return { backends: reports.map((r) => r.backend), maxAbsDiff, perCase };
}
