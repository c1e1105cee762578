import { el, formatNumber, svgEl } from '../dom.js';
import { type ColourScale, cssColour, divergingScale, sequentialScale } from './colour-scale.js';
import { type GateInfo, gatesOf } from './gate-info.js';

/** Where each value sits in the picture: a box (x, y) 120 × 58, and the wire it sends (a
 * polyline ending in an arrow), if any. */
interface Box {
  readonly key: string;
  readonly x: number;
  readonly y: number;
  readonly wire: readonly (readonly [number, number])[] | null;
}

// The cell as it is usually drawn: the state line on top, the gates below feeding into it.
const LSTM_BOXES: readonly Box[] = [
  {
    key: 'f',
    x: 100,
    y: 150,
    wire: [
      [160, 150],
      [160, 53],
    ],
  },
  {
    key: 'i',
    x: 230,
    y: 150,
    wire: [
      [290, 150],
      [321, 114],
    ],
  },
  {
    key: 'g',
    x: 360,
    y: 150,
    wire: [
      [420, 150],
      [339, 114],
    ],
  },
  {
    key: 'o',
    x: 580,
    y: 141,
    wire: [
      [580, 170],
      [533, 170],
    ],
  },
  { key: 'c', x: 560, y: 11, wire: null },
  { key: 'h', x: 460, y: 232, wire: null },
];
const GRU_BOXES: readonly Box[] = [
  {
    key: 'r',
    x: 20,
    y: 232,
    wire: [
      [80, 232],
      [114, 182],
    ],
  },
  {
    key: 'z',
    x: 230,
    y: 62,
    wire: [
      [350, 91],
      [459, 48],
    ],
  },
  {
    key: 'n',
    x: 380,
    y: 232,
    wire: [
      [480, 232],
      [480, 100],
      [474, 53],
    ],
  },
  { key: 'h', x: 560, y: 11, wire: null },
];

function scaleFor(info: GateInfo, values: Float32Array): ColourScale {
  if (info.range === 'unit') return sequentialScale();
  let limit = 1;
  if (info.range === 'unbounded') for (const v of values) limit = Math.max(limit, Math.abs(v));
  return divergingScale(limit);
}

function line(points: readonly (readonly [number, number])[], arrow = true): SVGElement {
  return svgEl('polyline', {
    points: points.map(([x, y]) => `${x},${y}`).join(' '),
    class: 'wire',
    'marker-end': arrow ? 'url(#arrow)' : '',
  });
}

function node(x: number, y: number, symbol: string): SVGElement {
  const g = svgEl('g');
  g.append(svgEl('circle', { cx: x, cy: y, r: 13, class: 'op' }));
  const text = svgEl('text', { x, y: y + 5, 'text-anchor': 'middle', class: 'op-text' });
  text.textContent = symbol;
  g.append(text);
  return g;
}

function label(x: number, y: number, content: string, cls = 'wire-label'): SVGElement {
  const text = svgEl('text', { x, y, class: cls });
  text.textContent = content;
  return text;
}

/** The wires and operations of each cell, drawn behind the boxes. */
function wires(cell: string): SVGElement[] {
  if (cell === 'lstm') {
    return [
      label(8, 44, 'c(t−1)'),
      line([
        [52, 40],
        [147, 40],
      ]),
      node(160, 40, '×'),
      line([
        [173, 40],
        [317, 40],
      ]),
      node(330, 40, '+'),
      line([
        [343, 40],
        [555, 40],
      ]),
      node(330, 105, '×'),
      line([
        [330, 92],
        [330, 53],
      ]),
      line([
        [520, 40],
        [520, 82],
      ]),
      node(520, 95, 'tanh'),
      line([
        [520, 108],
        [520, 157],
      ]),
      node(520, 170, '×'),
      line([
        [520, 183],
        [520, 228],
      ]),
      label(8, 330, 'x(t) and h(t−1) feed every gate (one weight matrix each)'),
    ];
  }
  return [
    label(8, 44, 'h(t−1)'),
    line([
      [52, 40],
      [457, 40],
    ]),
    node(470, 40, 'mix'),
    line([
      [483, 40],
      [555, 40],
    ]),
    line([
      [120, 40],
      [120, 157],
    ]),
    node(120, 170, '×'),
    line([
      [133, 170],
      [440, 170],
      [440, 228],
    ]),
    label(140, 162, 'r ⊙ (W_hn·h(t−1) + b_hn) → candidate'),
    label(8, 330, 'mix: h(t) = (1 − z) ⊙ n + z ⊙ h(t−1);  x(t) and h(t−1) feed every gate'),
  ];
}

/** One value's box: its symbol and name, a strip of one square per unit, and the mean. */
function box(b: Box, info: GateInfo, values: Float32Array): SVGElement {
  const g = svgEl('g', { class: 'gate-box' });
  const scale = scaleFor(info, values);
  g.append(svgEl('rect', { x: b.x, y: b.y, width: 120, height: 58, rx: 6, class: 'box' }));
  g.append(label(b.x + 6, b.y + 15, `${info.key}  ${info.name}`, 'box-title'));
  const w = 108 / Math.max(1, values.length);
  values.forEach((v, u) => {
    const rect = svgEl('rect', { x: b.x + 6 + u * w, y: b.y + 22, width: w, height: 14 });
    rect.setAttribute('fill', cssColour(scale.colour(v)));
    g.append(rect);
  });
  let mean = 0;
  for (const v of values) mean += v / values.length;
  g.append(label(b.x + 6, b.y + 51, `mean ${formatNumber(mean, 2)}`, 'box-value'));
  if (b.wire) g.append(line(b.wire));
  return g;
}

/** Draws the cell at the selected step: `at` maps each value's key to its units at that step. */
export function drawCellDiagram(
  container: HTMLElement,
  cell: string,
  at: Record<string, Float32Array>,
): void {
  const svg = svgEl('svg', {
    viewBox: '0 0 700 345',
    role: 'img',
    class: 'cell-diagram',
    'aria-label': `The ${cell.toUpperCase()} cell at the selected step; the values are in the table below.`,
  });
  const defs = svgEl('defs');
  const marker = svgEl('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: 9,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto-start-reverse',
  });
  marker.append(svgEl('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' }));
  defs.append(marker);
  svg.append(defs, ...wires(cell));
  const boxes = cell === 'lstm' ? LSTM_BOXES : cell === 'gru' ? GRU_BOXES : [];
  const infos = gatesOf(cell);
  for (const b of boxes) {
    const info = infos.find((g) => g.key === b.key);
    const values = at[b.key];
    if (info && values) svg.append(box(b, info, values));
  }
  container.replaceChildren(svg, valuesTable(infos, at));
}

/** Every value of every unit at the selected step, as numbers. */
function valuesTable(infos: readonly GateInfo[], at: Record<string, Float32Array>): HTMLElement {
  const units = Math.max(0, ...Object.values(at).map((v) => v.length));
  const head = el('tr', {}, el('th', { scope: 'col' }, 'value'));
  for (let u = 0; u < units; u++) head.append(el('th', { scope: 'col' }, `u${u}`));
  const rows = infos
    .filter((info) => at[info.key])
    .map((info) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, `${info.key} ${info.name}`),
        ...Array.from(at[info.key], (v) => el('td', {}, formatNumber(v, 3))),
      ),
    );
  return el(
    'table',
    { class: 'values' },
    el('caption', {}, 'Values at the selected step, per unit'),
    el('thead', {}, head),
    el('tbody', {}, ...rows),
  );
}
