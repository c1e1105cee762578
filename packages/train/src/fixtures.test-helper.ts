import { readFileSync } from 'node:fs';

/** packages/train/fixtures/<name>, parsed (written by tools/train's PyTorch scripts). */
export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** Largest |a − b| relative to max(1, |b|). */
export function maxRelativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let max = 0;
  for (let k = 0; k < a.length; k++) max = Math.max(max, Math.abs(a[k] - b[k]) / Math.max(1, Math.abs(b[k])));
  return max;
}
