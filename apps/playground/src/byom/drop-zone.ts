import { el } from '../dom.js';
import type { LoadedModel } from '../models/loaded-model.js';
import { readDroppedFiles } from './read-dropped-files.js';
import { safetensorsForm } from './safetensors-form.js';

/** The "bring your own model" area: drop files on it (or pick them) — an ONNX file, a
 * safetensors file (then a small config form), or a tfjs-layers model.json with its weights. */
export function dropZone(onModel: (model: LoadedModel) => void): HTMLElement {
  const status = el('p', { class: 'drop-status', role: 'status', 'aria-live': 'polite' });
  const formSlot = el('div');
  const picker = el('input', { type: 'file', multiple: '', id: 'model-files' });
  const zone = el(
    'div',
    { class: 'drop-zone', 'data-drop-zone': '' },
    el(
      'p',
      {},
      'Drop a model here: an .onnx file, a .safetensors file, or a model.json with its .bin files.',
    ),
    el('label', { for: 'model-files' }, 'Or choose files: '),
    picker,
    status,
    formSlot,
  );
  const fail = (message: string) => {
    status.dataset.state = 'error';
    status.textContent = `Could not load: ${message}`;
  };
  const accept = (model: LoadedModel) => {
    status.dataset.state = 'ok';
    status.textContent = `Loaded ${model.title}.`;
    formSlot.replaceChildren();
    onModel(model);
  };
  const handle = async (files: File[]) => {
    if (files.length === 0) return;
    status.dataset.state = 'loading';
    status.textContent = `Reading ${files.map((f) => f.name).join(', ')}…`;
    try {
      const result = await readDroppedFiles(files);
      if (result.kind === 'model') accept(result.model);
      else {
        status.textContent = `${result.name}: fill in its config.`;
        formSlot.replaceChildren(safetensorsForm(result.name, result.file, accept, fail));
      }
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    }
  };
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    void handle(Array.from(event.dataTransfer?.files ?? []));
  });
  picker.addEventListener('change', () => void handle(Array.from(picker.files ?? [])));
  return zone;
}
