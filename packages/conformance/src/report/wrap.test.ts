import { describe, expect, it } from 'vitest';
import { wrapLine, wrapText } from './wrap.js';

describe('wrapLine and wrapText', () => {
  it('wraps at word boundaries with a hanging indent', () => {
    expect(wrapLine('aaa bbb ccc ddd', '- ', '  ', 9)).toEqual(['- aaa bbb', '  ccc ddd']);
    expect(wrapLine('short', '  ', '    ', 100)).toEqual(['  short']);
    expect(wrapLine('  indented text', '', '    ', 12)).toEqual(['  indented', '    text']);
  });

  it('cuts a word longer than a line', () => {
    const lines = wrapLine('x'.repeat(25), '', '', 10);
    expect(lines).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('starts every line of a multi-line text at the hanging indent', () => {
    expect(wrapText('first line\nsecond', '  a: ', '      ', 100)).toEqual([
      '  a: first line',
      '      second',
    ]);
  });

  it('keeps every line within the width', () => {
    const text =
      'worst output[t 3, b 0, unit 1]: received 0.0011007009, expected 0.0001007009 (|error| 1.0e-3)';
    for (const line of wrapText(`${text}\n${text}`, '    ', '        ', 60))
      expect(line.length).toBeLessThanOrEqual(60);
  });
});
