import { el } from '../dom.js';

/** One backend's row of a comparison: its output, or why it has none. */
export interface CompareEntry {
  readonly id: string;
  readonly output: Float32Array | null;
  readonly ms: number | null;
  readonly error: string | null;
}

/** Max |a − b| of every pair of backends that ran, on the model's output (h per step). */
export function pairwiseDiffs(entries: readonly CompareEntry[]): { a: string; b: string; diff: number }[] {
  const ran = entries.filter((e) => e.output);
  const pairs: { a: string; b: string; diff: number }[] = [];
  for (let x = 0; x < ran.length; x++) {
    for (let y = x + 1; y < ran.length; y++) {
      const [a, b] = [ran[x].output!, ran[y].output!];
      let diff = a.length === b.length ? 0 : Number.POSITIVE_INFINITY;
      for (let k = 0; k < Math.min(a.length, b.length); k++) diff = Math.max(diff, Math.abs(a[k] - b[k]));
      pairs.push({ a: ran[x].id, b: ran[y].id, diff });
    }
  }
  return pairs;
}

const TOLERANCE = 1e-5;

/** The comparison as a matrix (backends × backends, max abs difference) and a list of times. */
export function renderComparison(container: HTMLElement, entries: readonly CompareEntry[]): void {
  const pairs = pairwiseDiffs(entries);
  const diffOf = (a: string, b: string) =>
    pairs.find((p) => (p.a === a && p.b === b) || (p.a === b && p.b === a))?.diff;
  const ran = entries.filter((e) => e.output);
  const head = el('tr', {}, el('th', { scope: 'col' }, 'max |a − b|'));
  for (const e of ran) head.append(el('th', { scope: 'col' }, e.id));
  const rows = ran.map((row) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row' }, row.id),
      ...ran.map((col) => {
        if (col.id === row.id) return el('td', { class: 'same' }, '—');
        const diff = diffOf(row.id, col.id) ?? Number.NaN;
        const ok = diff <= TOLERANCE;
        return el(
          'td',
          { class: ok ? 'agree' : 'disagree', 'data-diff': String(diff) },
          `${diff === 0 ? '0' : diff.toExponential(1)} ${ok ? '✓' : '✗'}`,
        );
      }),
    ),
  );
  const worst = pairs.reduce((m, p) => Math.max(m, p.diff), 0);
  const times = el(
    'ul',
    { class: 'compare-times' },
    ...entries.map((e) =>
      el(
        'li',
        { 'data-backend': e.id },
        e.error ? `${e.id}: failed — ${e.error}` : `${e.id}: ${e.ms?.toFixed(2)} ms per forward`,
      ),
    ),
  );
  container.replaceChildren(
    el(
      'p',
      { class: 'compare-summary', role: 'status' },
      ran.length < 2
        ? 'Fewer than two backends ran.'
        : `${ran.length} backends, ${pairs.length} pairs: largest difference ${worst.toExponential(2)} ` +
            `(${worst <= TOLERANCE ? 'all within' : 'NOT all within'} 1e-5).`,
    ),
    el(
      'table',
      { class: 'compare-matrix' },
      el('caption', {}, 'Largest absolute difference of the output (h at every step), per pair of backends'),
      el('thead', {}, head),
      el('tbody', {}, ...rows),
    ),
    times,
  );
}
