import { describe, expect, it } from 'vitest';
import { sampleReport } from './fixture.test-helper.js';
import { jsonReport, parseJsonReport } from './json.js';
import { markdownReport } from './markdown.js';

describe('markdownReport', () => {
  const text = markdownReport(sampleReport());

  it('has a table row per result with the ratio to ort-web@1t', () => {
    const rows = text.split('\n').filter((l) => l.startsWith('| S'));
    expect(rows).toHaveLength(6);
    expect(rows[1]).toMatch(/^\| S2 \| lstm \| wasm \| 200 \|.*\| ×2\.00 \| 1\.5e-7 \|/);
    expect(rows[0]).toContain('| ref |');
  });

  it('escapes pipes in cells so every table line has the same 12 columns', () => {
    const lines = text.split('\n').filter((l) => l.startsWith('|'));
    const columns = (l: string) => l.split(/(?<!\\)\|/).length - 2;
    expect(lines.map(columns)).toEqual(lines.map(() => 12));
    expect(lines[0]).toContain('max \\|Δ\\|');
  });

  it('marks rows that ran a shortened sequence', () => {
    expect(text).toMatch(/\| tfjs-layers@cpu \| 5500 \|.*\| 1 T=20 \|/);
  });

  it('states the machine, the method, the FLOP formula and the GRU variant', () => {
    expect(text).toContain('Test CPU <x86>, 2 cores, Node v20.20.2');
    expect(text).toContain('2·T·B·G·H·(I_k + H)');
    expect(text).toContain('resetAfter: false');
    expect(text).toContain('process-wide');
  });

  it('lists skipped rows with their reason', () => {
    expect(text).toContain('- ort-node S2 lstm: onnxruntime-node is not usable here');
  });
});

describe('parseJsonReport', () => {
  it('reads back what jsonReport wrote, so --from renders the same report', () => {
    const report = sampleReport();
    const again = parseJsonReport(jsonReport(report));
    expect(markdownReport(again)).toBe(markdownReport(report));
  });
});
