import { type SafetensorsFile, weightsFromSafetensors } from '@gated/core';
import { el } from '../dom.js';
import type { LinearHead, LoadedModel, PlaygroundConfig } from '../models/loaded-model.js';
import { guessConfig } from './guess-config.js';

function field(label: string, input: HTMLInputElement | HTMLSelectElement): HTMLElement {
  return el('label', { class: 'form-field' }, `${label} `, input);
}

/** A head stored beside the weights as head.weight [classes, Hout] / head.bias [classes]. */
function headOf(file: SafetensorsFile): LinearHead | null {
  const weight = file.tensors['head.weight'];
  const bias = file.tensors['head.bias'];
  if (!weight || !bias) return null;
  return { weight: weight.data, bias: bias.data, classes: Array.from(bias.data, (_, k) => String(k)) };
}

/** The small config form of a dropped safetensors file, filled with a guess from its tensors;
 * submitting it reads the weights with core's weightsFromSafetensors. */
export function safetensorsForm(
  name: string,
  file: SafetensorsFile,
  onLoad: (model: LoadedModel) => void,
  onError: (message: string) => void,
): HTMLFormElement {
  const guess = guessConfig(file);
  const config = guess?.config ?? { cell: 'lstm', inputSize: 1, hiddenSize: 1 };
  const cell = el('select', { name: 'cell' });
  for (const c of ['lstm', 'gru', 'rnn']) cell.append(el('option', { value: c }, c.toUpperCase()));
  cell.value = config.cell;
  const number = (key: string, value: unknown) =>
    el('input', { type: 'number', min: '1', name: key, value: String(value ?? 1), required: '' });
  const inputSize = number('inputSize', config.inputSize);
  const hiddenSize = number('hiddenSize', config.hiddenSize);
  const numLayers = number('numLayers', config.numLayers ?? 1);
  const bidirectional = el('input', { type: 'checkbox', name: 'bidirectional' });
  bidirectional.checked = config.bidirectional === true;
  const prefix = el('input', { type: 'text', name: 'prefix', value: guess?.prefix ?? '' });
  const form = el(
    'form',
    { class: 'safetensors-form', 'aria-label': `Config of ${name}` },
    el('p', {}, `${name}: ${Object.keys(file.tensors).length} tensors. Check the config, then load.`),
    field('cell', cell),
    field('input size', inputSize),
    field('hidden size', hiddenSize),
    field('layers', numLayers),
    field('bidirectional', bidirectional),
    field('name prefix', prefix),
    el('button', { type: 'submit' }, 'Load weights'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen: PlaygroundConfig = {
      ...config,
      cell: cell.value,
      inputSize: Number(inputSize.value),
      hiddenSize: Number(hiddenSize.value),
      numLayers: Number(numLayers.value),
      bidirectional: bidirectional.checked,
    };
    try {
      const weights = weightsFromSafetensors(chosen, file, { prefix: prefix.value });
      onLoad({
        id: `dropped:${name}`,
        title: `${name} (${chosen.cell.toUpperCase()}, safetensors)`,
        source: `${name}, read with core's weightsFromSafetensors (prefix '${prefix.value}')`,
        config: chosen,
        weights,
        head: headOf(file),
        vocabulary: null,
        trained: null,
      });
    } catch (error) {
      onError(error instanceof Error ? error.message : String(error));
    }
  });
  return form;
}
