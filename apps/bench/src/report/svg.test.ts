import { describe, expect, it } from 'vitest';
import { sampleReport } from './fixture.test-helper.js';
import { decadeLabel, escapeXml, logRange, octaveLabel, ratioRange, svgChart } from './svg.js';

describe('logRange', () => {
  it('spans whole decades around the values', () => {
    expect(logRange([0.05, 5500])).toEqual([-2, 4]);
    expect(logRange([100])).toEqual([2, 3]);
  });
});

describe('ratioRange', () => {
  it('spans powers of two around 1 and every ratio, within 1/32 … 32', () => {
    expect(ratioRange([0.71, 1.25])).toEqual([-1, 1]);
    expect(ratioRange([0.09, 3])).toEqual([-4, 2]);
    expect(ratioRange([0.001, 535])).toEqual([-5, 5]);
  });
});

describe('axis labels', () => {
  it('writes powers of ten and two without exponent noise', () => {
    expect([-2, -1, 0, 3].map(decadeLabel)).toEqual(['0.01', '0.1', '1', '1000']);
    expect([-5, -2, -1, 0, 2].map(octaveLabel)).toEqual(['1/32', '1/4', '1/2', '1', '4']);
  });
});

describe('svgChart', () => {
  const svg = svgChart(sampleReport().results);

  it('is one svg element with a bar and a value label per row', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<rect x="150"/g)).toHaveLength(9);
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

  it('labels each row with its ratio to ort-web@1t: paired median and p10–p90, else the medians', () => {
    const ratios = [...svg.matchAll(/<text class="ratio"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(ratios).toEqual([
      '×3.90 [3.70–4.20]',
      '×1.27 [1.19–1.31]',
      '×0.96 [0.91–1.02]',
      '= 1 (ort-web@1t)',
      '×0.60 medians',
      '×55.00 medians',
      '×0.10 medians',
      '= 1 (ort-web@1t)',
      '×1.20 medians',
    ]);
  });

  it('draws the p10–p90 of every paired row and puts 1 between wasm+relaxed and wasm', () => {
    expect(svg.match(/<line class="p10-p90"/g)).toHaveLength(3);
    // Paired medians in row order: ts, wasm, wasm+relaxed; the dark line is ratio 1.
    const [ts, wasm, relaxed] = [...svg.matchAll(/<circle cx="([\d.]+)" cy="[\d.]+" r="4.5"/g)].map((m) =>
      Number(m[1]),
    );
    const one = Number(
      /<line x1="([\d.]+)" y1="[\d.]+" x2="[\d.]+" y2="[\d.]+" stroke="#444444"\/>/.exec(svg)?.[1],
    );
    expect(relaxed).toBeLessThan(one);
    expect(wasm).toBeGreaterThan(one);
    expect(ts).toBeGreaterThan(wasm);
  });

  it('says which GRU variant the GRU rows are, and which wasm build each row measured', () => {
    expect(svg).toContain('GRU rows: resetAfter: false');
    expect(svg).toContain('· GRU resetAfter: false</text>');
    expect(svg).toContain('Wasm builds measured: wasm: simd128; wasm+relaxed: relaxed-simd.');
  });

  it('has group titles, axis labels and a legend entry per row name', () => {
    expect(svg).toContain('>S2 LSTM</text>');
    expect(svg).toContain('>S1 GRU</text>');
    expect(svg).toContain('log scale');
    expect(svg).toContain('ratio to ort-web@1t (paired, p10–p90)');
    expect(svg.match(/width="12" height="12"/g)).toHaveLength(6);
  });

  it('escapes names for XML', () => {
    expect(escapeXml('a<b>&"c"')).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
  });
});
