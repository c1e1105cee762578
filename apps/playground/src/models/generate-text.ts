/** A random input for a model: for the bracket models a random walk over depths 0..4 with
 * filler (sometimes closing one bracket too many), for others random printable characters. */
export function generateText(vocabulary: readonly string[] | null, random = Math.random): string {
  const length = 12 + Math.floor(random() * 16);
  if (!vocabulary?.includes('(')) {
    return Array.from({ length }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
  }
  let depth = 0;
  let text = '';
  const breakAt = random() < 0.25 ? Math.floor(random() * length) : -1;
  for (let k = 0; k < length; k++) {
    const r = random();
    if (k === breakAt) {
      text += ')';
      depth--;
    } else if (r < 0.2) text += '.';
    else if ((r < 0.62 && depth < 4) || depth <= 0) {
      text += '(';
      depth++;
    } else {
      text += ')';
      depth--;
    }
  }
  return text;
}
