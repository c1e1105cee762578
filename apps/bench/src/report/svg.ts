import { wrap } from '../flags.js';
import { baselineMs, groupRows, type RowResult } from '../results.js';
import { SHAPES } from '../shapes.js';
import { formatFactor, formatMs, formatPaired } from './format.js';
import { buildSummary, ratioBase } from './rows.js';

const PALETTE = [
  '#1b9e77',
  '#d95f02',
  '#7570b3',
  '#e7298a',
  '#66a61e',
  '#e6ab02',
  '#a6761d',
  '#666666',
  '#1f78b4',
  '#b2df8a',
];
const LABEL_WIDTH = 150;
const TIME_WIDTH = 380;
const VALUE_WIDTH = 80;
const PANEL_GAP = 20;
const RATIO_LEFT = LABEL_WIDTH + TIME_WIDTH + VALUE_WIDTH + PANEL_GAP;
const RATIO_WIDTH = 230;
const RATIO_TEXT_WIDTH = 150;
const WIDTH = RATIO_LEFT + RATIO_WIDTH + RATIO_TEXT_WIDTH;
const BAR = 15;
const GAP = 3;
const GROUP_HEADER = 22;
const TOP = 76;
const LINE = 16;
/** The ratio axis stops at 1/32 and 32: beyond, the mark sits at the edge and the text tells. */
const RATIO_LIMIT = 5;

export const GRU_VARIANT_NOTE =
  'GRU rows: resetAfter: false, n = tanh(W_in·x + b_in + W_hn·(r ⊙ h) + b_hn) (Keras reset_after=False, the ONNX default), ' +
  "the only variant tfjs-layers implements; gated's default (resetAfter: true, PyTorch) is not what they time.";

const ratioNote = (base: string, calls: string) =>
  `Right panel: time / ${base} time of the same group (log scale). ● median of the per-pair ratios over ${calls} ` +
  `alternated with ${base} in one process, bar p10–p90; ○ ratio of the two medians from separate processes ` +
  '(rows not paired: that ratio can be off by up to 2× on a shared machine).';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** 10^p as plain text: 0.01, 0.1, 1, 10, 100, 1000, 10000. */
export function decadeLabel(p: number): string {
  return p < 0 ? (10 ** p).toFixed(-p) : String(10 ** p);
}

/** 2^p as short text: 1/4, 1/2, 1, 2, 4. */
export function octaveLabel(p: number): string {
  return p < 0 ? `1/${2 ** -p}` : String(2 ** p);
}

/** Decades covering every value: [lo, hi] as powers of ten. */
export function logRange(values: readonly number[]): [number, number] {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return [0, 1];
  const lo = Math.floor(Math.log10(Math.min(...positive)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...positive))));
  return [lo, hi];
}

/** Powers of two covering 1 and every ratio, at least 1/2 … 2, at most 1/32 … 32. */
export function ratioRange(ratios: readonly number[]): [number, number] {
  const logs = ratios.filter((r) => r > 0 && Number.isFinite(r)).map(Math.log2);
  const lo = Math.max(-RATIO_LIMIT, Math.min(-1, ...logs.map(Math.floor)));
  const hi = Math.min(RATIO_LIMIT, Math.max(1, ...logs.map(Math.ceil)));
  return [lo, hi];
}

/** What the ratio panel shows for a row: the paired ratio, else the ratio of medians. */
interface RatioMark {
  readonly kind: 'anchor' | 'paired' | 'medians' | 'none';
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
  readonly text: string;
}

function ratioMark(results: readonly RowResult[], row: RowResult): RatioMark {
  const anchor = ratioBase(results);
  if (row.name === anchor) return { kind: 'anchor', median: 1, p10: 1, p90: 1, text: `= 1 (${anchor})` };
  if (row.paired) return { kind: 'paired', ...row.paired, text: formatPaired(row.paired) };
  const base = baselineMs(results, row, anchor);
  if (base === null) return { kind: 'none', median: 1, p10: 1, p90: 1, text: '–' };
  const r = row.medianMs / base;
  return { kind: 'medians', median: r, p10: r, p90: r, text: `×${formatFactor(r)} medians` };
}

/** Two panels side by side, one group per shape × cell, one line per row: the median time as a
 * bar on a shared log axis (value at its end), and the ratio to ort-web@1t (training steps:
 * tfjs-layers@wasm) on a log₂ axis — the
 * paired median with its p10–p90, or the ratio of medians for rows not paired — so that 125
 * against 176 ms, a sliver on the time axis, reads as ×0.71. */
export function svgChart(
  results: readonly RowResult[],
  title = results.some((r) => r.training)
    ? 'gated bench: time per training step (lower is better)'
    : 'gated bench: time per call (lower is better)',
): string {
  const training = results.some((r) => r.training);
  const anchor = ratioBase(results);
  const groups = groupRows(results);
  const names = [...new Set(results.map((r) => r.name))];
  const colour = (name: string) => PALETTE[names.indexOf(name) % PALETTE.length];
  const [lo, hi] = logRange(results.map((r) => r.medianMs));
  const x = (ms: number) => Math.max(2, ((Math.log10(ms) - lo) / (hi - lo)) * TIME_WIDTH);
  const marks = new Map(results.map((r) => [r, ratioMark(results, r)]));
  const [rlo, rhi] = ratioRange(
    [...marks.values()].flatMap((m) => (m.kind === 'none' ? [] : [m.p10, m.p90])),
  );
  const rx = (ratio: number) => {
    const p = Math.min(rhi, Math.max(rlo, Math.log2(ratio)));
    return RATIO_LEFT + ((p - rlo) / (rhi - rlo)) * RATIO_WIDTH;
  };
  const builds = buildSummary(results);
  const footnotes = [
    ...wrap(ratioNote(anchor, training ? 'training steps' : 'forwards'), 150),
    ...(groups.some((g) => g.cell === 'gru') ? wrap(GRU_VARIANT_NOTE, 150) : []),
    ...(builds ? [`Wasm builds measured: ${builds}.`] : []),
  ];
  const legendRows = Math.ceil(names.length / 5);
  const plotHeight = groups.reduce((h, g) => h + GROUP_HEADER + g.rows.length * (BAR + GAP), 0) + 6;
  const bottom = TOP + plotHeight;
  const footTop = bottom + 48;
  const legendTop = footTop + footnotes.length * LINE + 8;
  const height = legendTop + legendRows * 20 + 10;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${LABEL_WIDTH + TIME_WIDTH / 2}" y="44" text-anchor="middle" font-weight="bold">median time per ${training ? 'training step' : 'call'}, ms</text>`,
    `<text x="${RATIO_LEFT + RATIO_WIDTH / 2}" y="44" text-anchor="middle" font-weight="bold">ratio to ${anchor} (paired, p10–p90)</text>`,
  ];
  for (let p = lo; p <= hi; p++) {
    const tx = LABEL_WIDTH + x(10 ** p);
    out.push(`<line x1="${tx}" y1="${TOP - 6}" x2="${tx}" y2="${bottom}" stroke="#dddddd"/>`);
    for (const ty of [TOP - 10, bottom + 14]) {
      out.push(`<text x="${tx}" y="${ty}" text-anchor="middle" fill="#444444">${decadeLabel(p)}</text>`);
    }
  }
  // Over more than 6 octaves, label every other one (the labels would touch).
  const labelEvery = rhi - rlo > 6 ? 2 : 1;
  for (let p = rlo; p <= rhi; p++) {
    const tx = rx(2 ** p).toFixed(1);
    const stroke = p === 0 ? '#444444' : '#dddddd';
    out.push(`<line x1="${tx}" y1="${TOP - 6}" x2="${tx}" y2="${bottom}" stroke="${stroke}"/>`);
    if (p % labelEvery !== 0) continue;
    for (const ty of [TOP - 10, bottom + 14]) {
      out.push(`<text x="${tx}" y="${ty}" text-anchor="middle" fill="#444444">${octaveLabel(p)}</text>`);
    }
  }
  out.push(
    `<text x="${LABEL_WIDTH + TIME_WIDTH / 2}" y="${bottom + 32}" text-anchor="middle">${training ? 'log scale; one training step (forward, backward, Adam)' : 'log scale; S1: one stream step, others: one forward'}</text>`,
    `<text x="${RATIO_LEFT + RATIO_WIDTH / 2}" y="${bottom + 32}" text-anchor="middle">log scale; below 1 = faster than ${anchor}</text>`,
  );
  let y = TOP;
  for (const group of groups) {
    const shape = SHAPES.find((s) => s.id === group.shape);
    const subtitle = `${shape?.label ?? ''}${group.cell === 'gru' ? ' · GRU resetAfter: false' : ''}`;
    out.push(
      `<text x="6" y="${y + 15}" font-weight="bold">${group.shape} ${group.cell.toUpperCase()}</text>`,
      `<text x="${LABEL_WIDTH}" y="${y + 15}" fill="#666666">${escapeXml(subtitle)}</text>`,
    );
    y += GROUP_HEADER;
    for (const row of group.rows) {
      const w = x(row.medianMs);
      const mid = y + BAR / 2;
      out.push(
        `<text x="${LABEL_WIDTH - 6}" y="${y + BAR - 3}" text-anchor="end">${escapeXml(row.name)}</text>`,
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${colour(row.name)}"/>`,
        `<text x="${(LABEL_WIDTH + w + 4).toFixed(1)}" y="${y + BAR - 3}">${formatMs(row.medianMs)} ms</text>`,
      );
      const mark = marks.get(row) as RatioMark;
      if (mark.kind === 'paired') {
        out.push(
          `<line class="p10-p90" x1="${rx(mark.p10).toFixed(1)}" y1="${mid}" x2="${rx(mark.p90).toFixed(1)}" y2="${mid}" stroke="${colour(row.name)}" stroke-width="3"/>`,
          `<circle cx="${rx(mark.median).toFixed(1)}" cy="${mid}" r="4.5" fill="${colour(row.name)}"/>`,
        );
      } else if (mark.kind === 'medians') {
        out.push(
          `<circle cx="${rx(mark.median).toFixed(1)}" cy="${mid}" r="4" fill="#ffffff" stroke="${colour(row.name)}" stroke-width="2"/>`,
        );
      } else if (mark.kind === 'anchor') {
        out.push(
          `<rect x="${(rx(1) - 1.5).toFixed(1)}" y="${y + 1}" width="3" height="${BAR - 2}" fill="${colour(row.name)}"/>`,
        );
      }
      out.push(
        `<text class="ratio" x="${RATIO_LEFT + RATIO_WIDTH + 8}" y="${y + BAR - 3}">${escapeXml(mark.text)}</text>`,
      );
      y += BAR + GAP;
    }
  }
  out.push(`<line x1="${LABEL_WIDTH}" y1="${TOP - 6}" x2="${LABEL_WIDTH}" y2="${bottom}" stroke="#444444"/>`);
  footnotes.forEach((line, i) => {
    out.push(`<text class="note" x="10" y="${footTop + i * LINE}" fill="#333333">${escapeXml(line)}</text>`);
  });
  names.forEach((name, i) => {
    const lx = 10 + (i % 5) * ((WIDTH - 20) / 5);
    const ly = legendTop + Math.floor(i / 5) * 20;
    out.push(`<rect x="${lx}" y="${ly}" width="12" height="12" fill="${colour(name)}"/>`);
    out.push(`<text x="${lx + 17}" y="${ly + 10}">${escapeXml(name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
