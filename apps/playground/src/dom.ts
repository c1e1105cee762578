/** A tiny element builder: el('p', { class: 'note' }, 'text', child). Attributes are strings;
 * `on*` keys of `events` become listeners. Nothing else: the views own their own updates. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';

export function svgEl(tag: string, attributes: Record<string, string | number> = {}): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/** A panel: a section with a heading, an explanation and a body the view fills. */
export function panel(
  id: string,
  title: string,
  explanation: string,
): {
  section: HTMLElement;
  body: HTMLElement;
} {
  const body = el('div', { class: 'panel-body' });
  const section = el(
    'section',
    { class: 'panel', id, 'aria-labelledby': `${id}-title` },
    el('h2', { id: `${id}-title` }, title),
    el('p', { class: 'explain' }, explanation),
    body,
  );
  return { section, body };
}

export const formatNumber = (v: number, digits = 3): string =>
  Number.isFinite(v) ? v.toFixed(digits).replace(/^-(0\.0*)$/, '$1') : String(v);
