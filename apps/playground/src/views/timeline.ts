import { el } from '../dom.js';

/** The input as a row of steps, one per character, with the model's prediction under each: a
 * slider for assistive technology (arrow keys, Home, End move the selected step; hovering or
 * clicking a step selects it). */
export class Timeline {
  readonly element: HTMLElement;
  private readonly row = el('div', { class: 'timeline-row' });
  private steps = 0;
  private selected = 0;

  constructor(private readonly onSelect: (step: number) => void) {
    this.element = el(
      'div',
      {
        class: 'timeline',
        role: 'slider',
        tabindex: '0',
        'aria-label': 'Selected time step (arrow keys move it)',
        'aria-valuemin': '1',
      },
      this.row,
    );
    this.element.addEventListener('keydown', (event) => {
      const moves: Record<string, number> = {
        ArrowLeft: this.selected - 1,
        ArrowDown: this.selected - 1,
        ArrowRight: this.selected + 1,
        ArrowUp: this.selected + 1,
        Home: 0,
        End: this.steps - 1,
        PageUp: this.selected + 5,
        PageDown: this.selected - 5,
      };
      if (!(event.key in moves) || this.steps === 0) return;
      event.preventDefault();
      this.onSelect(Math.max(0, Math.min(this.steps - 1, moves[event.key])));
    });
  }

  render(chars: readonly string[], predictions: readonly string[] | null, selected: number): void {
    this.steps = chars.length;
    this.selected = selected;
    this.row.replaceChildren(
      ...chars.map((ch, t) => {
        const cell = el(
          'div',
          { class: t === selected ? 'step selected' : 'step', 'data-step': String(t) },
          el('span', { class: 'step-char' }, ch === ' ' ? '␣' : ch),
          el('span', { class: 'step-prediction' }, predictions?.[t] ?? ''),
        );
        cell.addEventListener('mouseenter', () => this.onSelect(t));
        cell.addEventListener('click', () => this.onSelect(t));
        return cell;
      }),
    );
    this.element.setAttribute('aria-valuemax', String(Math.max(1, chars.length)));
    this.element.setAttribute('aria-valuenow', String(selected + 1));
    const prediction = predictions?.[selected];
    this.element.setAttribute(
      'aria-valuetext',
      chars.length
        ? `step ${selected + 1} of ${chars.length}: “${chars[selected]}”${prediction ? `, model says ${prediction}` : ''}`
        : 'no input',
    );
  }
}
