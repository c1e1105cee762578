import { el } from '../dom.js';
import { softmaxRows } from '../models/linear-head.js';
import type { LoadedModel } from '../models/loaded-model.js';
import type { RunResult } from '../run/run-forward.js';
import type { Series } from '../run/trace-series.js';
import { type ColourScale, divergingScale, sequentialScale } from './colour-scale.js';
import { gatesOf } from './gate-info.js';
import { Heatmap } from './heatmap.js';

function scaleOf(range: string, values: Float32Array): ColourScale {
  if (range === 'unit') return sequentialScale();
  let limit = 1;
  if (range === 'unbounded') for (const v of values) limit = Math.max(limit, Math.abs(v));
  return divergingScale(limit);
}

/** One heatmap per traced value (gates, c, h), each with its explanation, and the read-out. */
export class HeatmapPanel {
  readonly element = el('div', { class: 'heatmaps' });
  private readonly maps = new Map<string, Heatmap>();

  constructor(private readonly onSelectStep: (step: number) => void) {}

  private heatmap(key: string, title: string): Heatmap {
    let map = this.maps.get(key);
    if (!map) {
      map = new Heatmap(title, this.onSelectStep);
      this.maps.set(key, map);
    }
    return map;
  }

  render(
    model: LoadedModel,
    series: readonly Series[],
    result: RunResult,
    selected: number,
    chars: string[],
  ) {
    const infos = gatesOf(model.config.cell);
    const figures: HTMLElement[] = [];
    for (const s of series) {
      const info = infos.find((i) => i.key === s.key);
      if (!info) continue;
      const map = this.heatmap(`${model.config.cell}:${s.key}`, `${s.key} — ${info.name}`);
      map.draw(s, scaleOf(info.range, s.values), selected, chars);
      figures.push(
        el('div', { class: 'heatmap-item' }, map.element, el('p', { class: 'explain' }, info.explanation)),
      );
    }
    if (result.logits && model.head) {
      const classes = model.head.classes.length;
      const probabilities = softmaxRows(result.logits, classes);
      const map = this.heatmap('readout', 'read-out — P(class) per step');
      map.draw(
        { key: 'p', values: probabilities, steps: result.steps, units: classes },
        sequentialScale(),
        selected,
        chars,
        model.head.classes,
      );
      figures.push(
        el(
          'div',
          { class: 'heatmap-item' },
          map.element,
          el(
            'p',
            { class: 'explain' },
            'The model’s output per step: softmax(head.weight · h + head.bias), one row per class. The bright cell in each column is its answer.',
          ),
        ),
      );
    }
    this.element.replaceChildren(...figures);
  }
}
