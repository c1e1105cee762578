import { describe, expect, it } from 'vitest';
import { sampleReport } from './fixture.test-helper.js';
import { decadeLabel, escapeXml, logRange, svgChart } from './svg.js';

describe('logRange', () => {
  it('spans whole decades around the values', () => {
    expect(logRange([0.05, 5500])).toEqual([-2, 4]);
    expect(logRange([100])).toEqual([2, 3]);
  });
});

describe('decadeLabel', () => {
  it('writes powers of ten without exponent noise', () => {
    expect([-2, -1, 0, 3].map(decadeLabel)).toEqual(['0.01', '0.1', '1', '1000']);
  });
});

describe('svgChart', () => {
  const svg = svgChart(sampleReport().results);

  it('is one svg element with a bar and a value label per row', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<rect x="150"/g)).toHaveLength(6);
    expect(svg).toContain('>5500 ms</text>');
    expect(svg).toContain('>0.0500 ms</text>');
  });

  it('draws longer bars for slower rows (log scale)', () => {
    const width = (label: string) => {
      const bars = [
        ...svg.matchAll(/<text [^>]*>([^<]+)<\/text>\n<rect x="150" y="[\d.]+" width="([\d.]+)"/g),
      ];
      return Number(bars.find((m) => m[1] === label)?.[2]);
    };
    expect(width('tfjs-layers@cpu')).toBeGreaterThan(width('ts'));
    expect(width('ts')).toBeGreaterThan(width('ort-web@1t'));
  });

  it('has group titles, axis labels and a legend entry per row name', () => {
    expect(svg).toContain('>S2 LSTM</text>');
    expect(svg).toContain('>S1 GRU</text>');
    expect(svg).toContain('log scale');
    expect(svg.match(/width="12" height="12"/g)).toHaveLength(4);
  });

  it('escapes names for XML', () => {
    expect(escapeXml('a<b>&"c"')).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
  });
});
