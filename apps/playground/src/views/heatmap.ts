import { el, formatNumber } from '../dom.js';
import type { Series } from '../run/trace-series.js';
import { type ColourScale, cssColour } from './colour-scale.js';

const CELL_HEIGHT = 14;
const LABEL_WIDTH = 44;
const MAX_WIDTH = 620;

/** A heatmap of one series: units as rows, steps as columns, the selected step outlined.
 * Hovering or clicking a column selects that step. The canvas carries a text summary. */
export class Heatmap {
  readonly element: HTMLElement;
  private readonly canvas = el('canvas', { role: 'img' });
  private readonly legend = el('div', { class: 'legend' });
  private cellWidth = 12;
  private steps = 0;

  constructor(
    readonly title: string,
    private readonly onSelectStep: (step: number) => void,
  ) {
    this.canvas.dataset.heatmap = title;
    this.element = el('figure', { class: 'heatmap' }, el('figcaption', {}, title), this.canvas, this.legend);
    const stepAt = (event: MouseEvent) => {
      const x = event.offsetX - LABEL_WIDTH;
      if (x >= 0) this.onSelectStep(Math.min(this.steps - 1, Math.floor(x / this.cellWidth)));
    };
    this.canvas.addEventListener('mousemove', stepAt);
    this.canvas.addEventListener('click', stepAt);
  }

  draw(
    series: Series,
    scale: ColourScale,
    selected: number,
    labels: readonly string[],
    rowLabels: readonly string[] = [],
  ): void {
    const { steps, units, values } = series;
    this.steps = steps;
    this.cellWidth = Math.max(6, Math.min(24, Math.floor((MAX_WIDTH - LABEL_WIDTH) / Math.max(1, steps))));
    const width = LABEL_WIDTH + this.cellWidth * steps;
    const height = CELL_HEIGHT * units + 16;
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = '10px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = '#333';
    for (let u = 0; u < units; u++) {
      ctx.fillText(rowLabels[u] ?? `u${u}`, 2, 16 + u * CELL_HEIGHT + CELL_HEIGHT / 2);
    }
    ctx.textAlign = 'center';
    for (let t = 0; t < steps; t++) {
      const x = LABEL_WIDTH + t * this.cellWidth;
      if (this.cellWidth >= 9) ctx.fillText(labels[t] ?? '', x + this.cellWidth / 2, 7);
      for (let u = 0; u < units; u++) {
        ctx.fillStyle = cssColour(scale.colour(values[t * units + u]));
        ctx.fillRect(x, 16 + u * CELL_HEIGHT, this.cellWidth, CELL_HEIGHT);
      }
      ctx.fillStyle = '#333';
    }
    if (selected >= 0 && selected < steps) {
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 2;
      ctx.strokeRect(
        LABEL_WIDTH + selected * this.cellWidth + 1,
        15,
        this.cellWidth - 2,
        units * CELL_HEIGHT + 2,
      );
    }
    this.canvas.setAttribute('aria-label', summarise(this.title, series, selected));
    this.drawLegend(scale);
  }

  private drawLegend(scale: ColourScale): void {
    const [low, high] = scale.domain;
    const bar = el('span', { class: 'legend-bar', 'aria-hidden': 'true' });
    bar.style.background = scale.gradient;
    const middle = scale.kind === 'diverging' ? '0' : formatNumber((low + high) / 2, 1);
    this.legend.replaceChildren(
      el('span', {}, formatNumber(low, 2)),
      bar,
      el('span', {}, formatNumber(high, 2)),
      el('span', { class: 'legend-middle' }, `(middle ${middle})`),
    );
  }
}

/** The canvas's text alternative: size, range, and the values at the selected step. */
export function summarise(title: string, series: Series, selected: number): string {
  const { steps, units, values } = series;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const at =
    selected >= 0 && selected < steps
      ? `; at step ${selected + 1}: ${Array.from(values.subarray(selected * units, (selected + 1) * units), (v) => formatNumber(v, 2)).join(', ')}`
      : '';
  return `${title}: ${units} units × ${steps} steps, from ${formatNumber(min, 2)} to ${formatNumber(max, 2)}${at}`;
}
