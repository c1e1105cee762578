/** Columns every line of the plain-text report fits in. */
export const REPORT_WIDTH = 100;

const columns = (s: string) => [...s].length;

/** Word-wraps one line of text to `width` columns: the first line starts with `first` (and
 * the text's own leading spaces), the others with `rest` (a hanging indent). A word longer
 * than a whole line is cut. */
export function wrapLine(text: string, first: string, rest: string, width = REPORT_WIDTH): string[] {
  const lines: string[] = [];
  const indent = /^ */.exec(text)?.[0] ?? '';
  let line = first + indent;
  let empty = true;
  const push = () => {
    lines.push(line.trimEnd());
    line = rest;
    empty = true;
  };
  for (let word of text.slice(indent.length).split(/ +/)) {
    if (!empty && columns(line) + 1 + columns(word) > width) push();
    // After a push the line is empty: a word that still does not fit is cut.
    while (columns(line) + columns(word) > width) {
      const room = Math.max(1, width - columns(line));
      const chars = [...word];
      line += chars.slice(0, room).join('');
      word = chars.slice(room).join('');
      push();
    }
    if (word === '') continue;
    line += (empty ? '' : ' ') + word;
    empty = false;
  }
  if (!empty || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

/** Text that may span lines ('\n'): the first line starts with `first`, every other line and
 * every wrapped continuation with `rest`. */
export function wrapText(text: string, first: string, rest: string, width = REPORT_WIDTH): string[] {
  return text.split('\n').flatMap((line, k) => wrapLine(line, k === 0 ? first : rest, rest, width));
}
