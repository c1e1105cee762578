import { el } from '../dom.js';
import type { LoadedModel } from '../models/loaded-model.js';

/** Three decimals: 99.995 % must not read as 100 %. */
const percent = (v: number) => `${(100 * v).toFixed(3)} %`;

/** What the model is, what it learned and how well (the training script's own figures). */
export function renderModelInfo(container: HTMLElement, model: LoadedModel): void {
  const c = model.config;
  const shape = `${String(c.cell).toUpperCase()}, ${c.inputSize} inputs, ${c.hiddenSize} hidden units${
    Number(c.numLayers ?? 1) > 1 ? `, ${c.numLayers} layers` : ''
  }${c.bidirectional ? ', bidirectional' : ''}`;
  const parts: HTMLElement[] = [
    el('p', {}, el('strong', {}, model.title), ` — ${shape}. Source: ${model.source}.`),
  ];
  const t = model.trained;
  if (t) {
    parts.push(
      el('p', {}, `Task: ${t.task.description} Trained on ${t.task.trainedOn}.`),
      el(
        'p',
        { class: 'accuracy', 'data-accuracy': String(t.accuracy.perStep) },
        `Held-out accuracy, measured by the training script: ${percent(t.accuracy.perStep)} of steps and ` +
          `${percent(t.accuracy.wholeString)} of whole strings right (${t.accuracy.heldOutStrings} strings of 4–40 characters); ` +
          `on ${t.accuracy.longerStrings} longer strings (41–80, longer than any seen in training): ` +
          `${percent(t.accuracy.longerPerStep)} of steps, ${percent(t.accuracy.longerWholeString)} of strings.`,
      ),
      el(
        'p',
        { class: 'note' },
        `Read-out: a linear head (head.weight, head.bias in the same file) maps h at every step to ` +
          `${model.head?.classes.length ?? 0} classes; the page applies it after the backend's forward.`,
      ),
    );
  } else {
    parts.push(
      el(
        'p',
        { class: 'note' },
        model.vocabulary
          ? ''
          : `Input: each character becomes a one-hot vector at (its code point mod ${c.inputSize}).` +
              (model.head ? '' : ' No read-out head: the output shown is h of the last layer.'),
      ),
    );
  }
  container.replaceChildren(...parts);
}
