import { BACKEND_CHOICES, describeError } from './backends/backend-choices.js';
import { BackendPool } from './backends/backend-pool.js';
import { dropZone } from './byom/drop-zone.js';
import { el, panel } from './dom.js';
import { encodeText } from './models/encode-text.js';
import { generateText } from './models/generate-text.js';
import type { LoadedModel } from './models/loaded-model.js';
import { createHook, type PlaygroundHook, setState } from './playground-hook.js';
import { type RunResult, runForward } from './run/run-forward.js';
import { type Series, seriesOf } from './run/trace-series.js';
import { curveLegend, drawCurve } from './views/activation-curves.js';
import { BackendPicker } from './views/backend-picker.js';
import { drawCellDiagram } from './views/cell-diagram.js';
import { type CompareEntry, renderComparison } from './views/compare-view.js';
import { gatesOf } from './views/gate-info.js';
import { HeatmapPanel } from './views/heatmap-panel.js';
import { renderModelInfo } from './views/model-info.js';
import { Timeline } from './views/timeline.js';

/** The page: holds what the user chose (model, text, step, backend, trace), runs the forward
 * on the chosen backend whenever one of them changes, and redraws every view. */
export class PlaygroundApp {
  private readonly hook: PlaygroundHook = createHook();
  private readonly pool = new BackendPool((id, status) => this.picker.showStatus(id, status));
  private readonly picker: BackendPicker;
  private readonly timeline = new Timeline((step) => this.selectStep(step));
  private readonly heatmaps = new HeatmapPanel((step) => this.selectStep(step));
  private readonly modelSelect = el('select', { id: 'model-select' });
  private readonly textInput = el('input', {
    id: 'sequence',
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    maxlength: '120',
  });
  private readonly traceSelect = el('select', { id: 'trace-select' });
  private readonly runStatus = el('p', { class: 'run-status', role: 'status', 'aria-live': 'polite' });
  private readonly modelInfo = el('div', { class: 'model-info' });
  private readonly diagram = panel(
    'cell',
    'The cell at the selected step',
    'Each box is one gate (or state) with one square per hidden unit, coloured by its value at the selected step; the table below gives the numbers.',
  );
  private readonly curves = panel(
    'curves',
    'Activation curves',
    'σ squashes gate pre-activations into (0, 1); tanh squashes candidates into (−1, 1). Marks: this sequence’s pre-activations (faint: every step; solid: the selected step), recovered by inverting the activation from each gate’s f32 value (σ⁻¹(y) = ln(y/(1−y)), tanh⁻¹), exact up to f32 rounding; saturated values sit on the edge.',
  );
  private readonly compare = panel(
    'compare',
    'Compare all backends',
    'Runs the current input on every backend and shows the largest absolute difference of the outputs for every pair. f32 kernels agree to about 1e-7 here; 1e-5 is the contract.',
  );
  private models: LoadedModel[] = [];
  private model!: LoadedModel;
  private backendId = 'ts';
  private step = 0;
  private traceIndex = 0;
  private result: RunResult | null = null;
  private runToken = 0;

  constructor(private readonly root: HTMLElement) {
    this.picker = new BackendPicker(BACKEND_CHOICES, this.backendId, (id) => {
      this.backendId = id;
      void this.run();
    });
  }

  async start(models: LoadedModel[]): Promise<void> {
    this.models = models;
    this.model = models[0];
    this.textInput.value = this.model.trained?.example.text ?? '(()(.)).';
    this.layout();
    this.refreshModelSelect();
    await this.run();
  }

  private layout(): void {
    const generate = el('button', { type: 'button' }, 'Generate a sequence');
    generate.addEventListener('click', () => {
      this.textInput.value = generateText(this.model.vocabulary);
      void this.run();
    });
    this.textInput.addEventListener('input', () => void this.run());
    this.modelSelect.addEventListener('change', () => {
      const chosen = this.models.find((m) => m.id === this.modelSelect.value);
      if (chosen) this.useModel(chosen);
    });
    this.traceSelect.addEventListener('change', () => {
      this.traceIndex = Number(this.traceSelect.value);
      this.render();
    });
    const compareButton = el('button', { type: 'button', id: 'compare-all' }, 'Compare all backends');
    const compareResult = el('div', { class: 'compare-result' });
    compareButton.addEventListener('click', () => void this.compareAll(compareResult));
    this.compare.body.append(compareButton, compareResult);
    const byom = panel(
      'byom',
      'Bring your own model',
      'Any LSTM, GRU or RNN: a PyTorch state_dict saved as safetensors, an ONNX file (torch.onnx.export or any producer of LSTM/GRU/RNN nodes), or a Keras / tfjs-layers model.json. Nothing leaves the browser.',
    );
    byom.body.append(dropZone((model) => this.addModel(model)));
    const controls = el(
      'section',
      { class: 'controls', 'aria-label': 'Model, input and backend' },
      el(
        'div',
        { class: 'control-column' },
        el('label', { for: 'model-select' }, 'Model '),
        this.modelSelect,
        this.modelInfo,
        el('label', { for: 'sequence' }, 'Input sequence (type “(”, “)” and “.”) '),
        el('div', { class: 'input-row' }, this.textInput, generate),
        el(
          'p',
          { class: 'hint', id: 'timeline-hint' },
          'Hover a step, or focus the row and use ← →, to select it.',
        ),
        this.timeline.element,
        el('label', { for: 'trace-select', class: 'trace-label' }, 'Layer / direction '),
        this.traceSelect,
        this.runStatus,
      ),
      this.picker.element,
    );
    this.timeline.element.setAttribute('aria-describedby', 'timeline-hint');
    const heatmaps = panel(
      'heatmaps',
      'Every gate over time',
      'Rows are hidden units, columns are steps (the characters on top). Gates use viridis (dark = 0, yellow = 1); candidates, c and h use blue (negative) – white (0) – orange (positive).',
    );
    heatmaps.body.append(this.heatmaps.element);
    this.root.append(
      controls,
      el('div', { class: 'two-columns' }, this.diagram.section, this.curves.section),
      heatmaps.section,
      this.compare.section,
      byom.section,
    );
  }

  private refreshModelSelect(): void {
    this.modelSelect.replaceChildren(...this.models.map((m) => el('option', { value: m.id }, m.title)));
    this.modelSelect.value = this.model.id;
    renderModelInfo(this.modelInfo, this.model);
  }

  private addModel(model: LoadedModel): void {
    this.models = [...this.models.filter((m) => m.id !== model.id), model];
    this.useModel(model);
  }

  private useModel(model: LoadedModel): void {
    this.model = model;
    this.traceIndex = 0;
    this.refreshModelSelect();
    void this.run();
  }

  private selectStep(step: number): void {
    if (step === this.step || !this.result) return;
    this.step = step;
    this.render();
    if (document.activeElement?.closest('.timeline')) this.timeline.element.focus();
  }

  /** Runs the current input on the chosen backend; a newer run supersedes an older one. */
  private async run(): Promise<void> {
    const token = ++this.runToken;
    const text = [...this.textInput.value];
    this.hook.text = this.textInput.value;
    this.hook.model = this.model.id;
    if (text.length === 0) {
      this.result = null;
      this.runStatus.textContent = 'Type at least one character.';
      return;
    }
    setState(this.hook, 'busy');
    const x = encodeText(this.textInput.value, this.model.vocabulary, this.model.config.inputSize);
    try {
      const result = await runForward(this.pool, this.backendId, this.model, x);
      if (token !== this.runToken) return;
      this.result = result;
      this.step = Math.min(this.step, result.steps - 1);
      this.hook.lastError = null;
      this.publish(result);
      this.picker.showStatus(
        this.backendId,
        this.pool.status(this.backendId),
        `${result.ms.toFixed(2)} ms per forward${result.firstCall ? ' (first call: includes set-up)' : ''}`,
      );
      this.runStatus.textContent = `${result.backendName}: forward of ${result.steps} steps in ${result.ms.toFixed(2)} ms${
        result.gatesFrom !== result.backendId
          ? ` (it returns no gate trace: gates shown from ${result.gatesFrom})`
          : ''
      }.`;
      this.render();
      setState(this.hook, 'ready');
    } catch (error) {
      if (token !== this.runToken) return;
      const message = describeError(error);
      this.hook.lastError = { backendId: this.backendId, message };
      this.runStatus.textContent = `${this.backendId} failed: ${message}`;
      setState(this.hook, 'ready');
    }
  }

  private publish(result: RunResult): void {
    this.hook.last = {
      backendId: result.backendId,
      backendName: result.backendName,
      output: Array.from(result.output),
      logits: result.logits ? Array.from(result.logits) : null,
      predictions: this.predictions(result),
      ms: result.ms,
      gatesFrom: result.gatesFrom,
    };
  }

  private predictions(result: RunResult): string[] | null {
    const head = this.model.head;
    if (!result.logits || !head) return null;
    const classes = head.classes.length;
    return Array.from({ length: result.steps }, (_, t) => {
      let best = 0;
      for (let k = 1; k < classes; k++)
        if (result.logits![t * classes + k] > result.logits![t * classes + best]) best = k;
      return head.classes[best];
    });
  }

  private render(): void {
    const result = this.result;
    if (!result) return;
    const chars = [...this.textInput.value].slice(0, result.steps);
    this.timeline.render(chars, this.predictions(result), this.step);
    this.traceSelect.replaceChildren(
      ...result.gates.map((g, k) =>
        el('option', { value: String(k) }, `layer ${g.layer}, ${g.direction === 0 ? 'forward' : 'reverse'}`),
      ),
    );
    this.traceIndex = Math.min(this.traceIndex, result.gates.length - 1);
    this.traceSelect.value = String(this.traceIndex);
    this.traceSelect.disabled = result.gates.length < 2;
    const series = seriesOf(result, this.model, this.traceIndex);
    this.heatmaps.render(this.model, series, result, this.step, chars);
    const at: Record<string, Float32Array> = {};
    for (const s of series) at[s.key] = s.values.subarray(this.step * s.units, (this.step + 1) * s.units);
    drawCellDiagram(this.diagram.body, this.model.config.cell, at);
    this.renderCurves(series);
  }

  private renderCurves(series: readonly Series[]): void {
    const infos = gatesOf(this.model.config.cell);
    const activations = (this.model.config.activations ?? {}) as Record<string, unknown>;
    const custom = Object.keys(activations).length > 0;
    const figures: HTMLElement[] = [];
    for (const curve of ['sigmoid', 'tanh'] as const) {
      const gates = infos
        .filter((info) => info.curve === curve)
        .map((info) => ({ info, series: series.find((s) => s.key === info.key) }))
        .filter((g): g is { info: (typeof infos)[number]; series: Series } => g.series !== undefined);
      if (gates.length === 0) continue;
      const canvas = el('canvas', { role: 'img', 'data-curve': curve });
      drawCurve(canvas, curve, custom ? [] : gates, this.step);
      figures.push(
        el(
          'figure',
          { class: 'curve' },
          el('figcaption', {}, curve === 'sigmoid' ? 'σ(a) = 1 / (1 + e^−a)' : 'tanh(a)'),
          canvas,
          curveLegend(gates.map((g) => g.info)),
        ),
      );
    }
    if (custom)
      figures.push(el('p', { class: 'note' }, 'This model sets its own activations: no marks drawn.'));
    this.curves.body.replaceChildren(el('div', { class: 'curves' }, ...figures));
  }

  /** Runs the current input on every backend, one after another, and shows every pair's diff. */
  private async compareAll(container: HTMLElement): Promise<void> {
    const x = encodeText(this.textInput.value, this.model.vocabulary, this.model.config.inputSize);
    if (x.shape[0] === 0) return;
    setState(this.hook, 'busy');
    container.replaceChildren(el('p', { role: 'status' }, 'Running every backend…'));
    const entries: CompareEntry[] = [];
    for (const choice of BACKEND_CHOICES) {
      try {
        const result = await runForward(this.pool, choice.id, this.model, x);
        entries.push({ id: choice.id, output: result.output, ms: result.ms, error: null });
      } catch (error) {
        entries.push({ id: choice.id, output: null, ms: null, error: describeError(error) });
      }
    }
    renderComparison(container, entries);
    this.hook.compare = entries.map((e) => ({ ...e, output: e.output ? Array.from(e.output) : null }));
    setState(this.hook, 'ready');
  }
}
