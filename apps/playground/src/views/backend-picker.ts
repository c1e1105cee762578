import type { BackendChoice } from '../backends/backend-choices.js';
import type { BackendStatus } from '../backends/backend-pool.js';
import { el } from '../dom.js';

/** Radio buttons, one per backend, each with its status: ready (and the time of the last
 * forward), loading, or unavailable with the reason. */
export class BackendPicker {
  readonly element: HTMLElement;
  private readonly statusText = new Map<string, HTMLElement>();
  private readonly inputs = new Map<string, HTMLInputElement>();

  constructor(choices: readonly BackendChoice[], selected: string, onPick: (id: string) => void) {
    const fieldset = el('fieldset', { class: 'backend-picker' }, el('legend', {}, 'Backend'));
    for (const choice of choices) {
      const input = el('input', {
        type: 'radio',
        name: 'backend',
        value: choice.id,
        id: `backend-${choice.id}`,
      });
      input.checked = choice.id === selected;
      input.addEventListener('change', () => input.checked && onPick(choice.id));
      const status = el('span', { class: 'backend-status', id: `backend-${choice.id}-status` }, 'not loaded');
      input.setAttribute('aria-describedby', status.id);
      this.statusText.set(choice.id, status);
      this.inputs.set(choice.id, input);
      fieldset.append(
        el('div', { class: 'backend-choice' }, input, el('label', { for: input.id }, choice.label), status),
      );
    }
    this.element = fieldset;
  }

  select(id: string): void {
    const input = this.inputs.get(id);
    if (input) input.checked = true;
  }

  showStatus(id: string, status: BackendStatus, detail = ''): void {
    const text = this.statusText.get(id);
    if (!text) return;
    text.dataset.state = status.state;
    text.textContent =
      status.state === 'ready'
        ? `ready (${status.name})${detail ? ` · ${detail}` : ''}`
        : status.state === 'unavailable'
          ? `unavailable: ${status.reason}`
          : status.state === 'loading'
            ? 'loading…'
            : 'not loaded';
  }
}
