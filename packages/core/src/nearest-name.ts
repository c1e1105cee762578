/** The name in `names` closest to `given` (case, `_`/`-` and small typos ignored), or null when
 * none is close: for "did you mean" hints in errors. */
export function nearestName(given: string, names: readonly string[]): string | null {
  const key = simplify(given.slice(0, 64));
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of names) {
    const d = editDistance(key, simplify(name));
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(1, Math.floor(key.length / 4)) ? best : null;
}

function simplify(name: string): string {
  return name.toLowerCase().replace(/[_\-\s]/g, '');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}
