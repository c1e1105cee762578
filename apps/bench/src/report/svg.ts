import { groupRows, type RowResult } from '../results.js';
import { SHAPES } from '../shapes.js';
import { formatMs } from './format.js';

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
const PLOT_WIDTH = 560;
const VALUE_WIDTH = 120;
const BAR = 15;
const GAP = 3;
const GROUP_HEADER = 22;
const TOP = 58;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** 10^p as plain text: 0.01, 0.1, 1, 10, 100, 1000, 10000. */
export function decadeLabel(p: number): string {
  return p < 0 ? (10 ** p).toFixed(-p) : String(10 ** p);
}

/** Decades covering every value: [lo, hi] as powers of ten. */
export function logRange(values: readonly number[]): [number, number] {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return [0, 1];
  const lo = Math.floor(Math.log10(Math.min(...positive)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...positive))));
  return [lo, hi];
}

/** A horizontal bar chart: one group per shape × cell, one bar per row, length log10(ms) on
 * one shared axis, the value written at the end of each bar, a colour per row name. */
export function svgChart(
  results: readonly RowResult[],
  title = 'gated bench: time per call (lower is better)',
): string {
  const groups = groupRows(results);
  const names = [...new Set(results.map((r) => r.name))];
  const colour = (name: string) => PALETTE[names.indexOf(name) % PALETTE.length];
  const [lo, hi] = logRange(results.map((r) => r.medianMs));
  const x = (ms: number) => Math.max(2, ((Math.log10(ms) - lo) / (hi - lo)) * PLOT_WIDTH);
  const legendRows = Math.ceil(names.length / 4);
  const plotHeight = groups.reduce((h, g) => h + GROUP_HEADER + g.rows.length * (BAR + GAP), 0) + 6;
  const width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH;
  const height = TOP + plotHeight + 44 + legendRows * 20 + 10;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  const bottom = TOP + plotHeight;
  for (let p = lo; p <= hi; p++) {
    const tx = LABEL_WIDTH + x(10 ** p);
    out.push(`<line x1="${tx}" y1="${TOP - 6}" x2="${tx}" y2="${bottom}" stroke="#dddddd"/>`);
    for (const ty of [TOP - 10, bottom + 14]) {
      out.push(`<text x="${tx}" y="${ty}" text-anchor="middle" fill="#444444">${decadeLabel(p)}</text>`);
    }
  }
  out.push(
    `<text x="${LABEL_WIDTH + PLOT_WIDTH / 2}" y="${bottom + 32}" text-anchor="middle">median time per call, ms (log scale; S1: one stream step, others: one forward)</text>`,
  );
  let y = TOP;
  for (const group of groups) {
    const shape = SHAPES.find((s) => s.id === group.shape);
    out.push(
      `<text x="6" y="${y + 15}" font-weight="bold">${group.shape} ${group.cell.toUpperCase()}</text>`,
    );
    out.push(`<text x="${LABEL_WIDTH}" y="${y + 15}" fill="#666666">${escapeXml(shape?.label ?? '')}</text>`);
    y += GROUP_HEADER;
    for (const row of group.rows) {
      const w = x(row.medianMs);
      out.push(
        `<text x="${LABEL_WIDTH - 6}" y="${y + BAR - 3}" text-anchor="end">${escapeXml(row.name)}</text>`,
      );
      out.push(
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${colour(row.name)}"/>`,
      );
      out.push(
        `<text x="${(LABEL_WIDTH + w + 4).toFixed(1)}" y="${y + BAR - 3}">${formatMs(row.medianMs)} ms</text>`,
      );
      y += BAR + GAP;
    }
  }
  out.push(`<line x1="${LABEL_WIDTH}" y1="${TOP - 6}" x2="${LABEL_WIDTH}" y2="${bottom}" stroke="#444444"/>`);
  const legendTop = bottom + 48;
  names.forEach((name, i) => {
    const lx = 10 + (i % 4) * ((width - 20) / 4);
    const ly = legendTop + Math.floor(i / 4) * 20;
    out.push(`<rect x="${lx}" y="${ly}" width="12" height="12" fill="${colour(name)}"/>`);
    out.push(`<text x="${lx + 17}" y="${ly + 10}">${escapeXml(name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
