import { flagsMarkdown } from './flags.js';
import { jsonFieldsMarkdown } from './report/json.js';

/** The README's generated sections: each sits between `<!-- generated:NAME -->` and
 * `<!-- /generated:NAME -->` and comes from the same definitions as --help and --json. */
export const GENERATED_SECTIONS: Readonly<Record<string, () => string>> = {
  flags: flagsMarkdown,
  json: jsonFieldsMarkdown,
};

/** The README with every generated section rewritten; throws when a section's markers are missing. */
export function renderReadme(readme: string): string {
  let text = readme;
  for (const [name, render] of Object.entries(GENERATED_SECTIONS)) {
    const open = `<!-- generated:${name} -->`;
    const close = `<!-- /generated:${name} -->`;
    const start = text.indexOf(open);
    const end = text.indexOf(close);
    if (start < 0 || end < start) throw new Error(`README: expected ${open} … ${close}, found none`);
    text = `${text.slice(0, start + open.length)}\n${render()}\n${text.slice(end)}`;
  }
  return text;
}
