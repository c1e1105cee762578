import { describe, expect, it } from 'vitest';
import { OWN_PROCESS, row, sampleReport, trainingReport } from './fixture.test-helper.js';
import { jsonReport, parseJsonReport } from './json.js';
import { markdownReport } from './markdown.js';
import { COLUMNS, columns, LOSS_COLUMN } from './rows.js';
import { svgChart } from './svg.js';
import { textTable } from './table.js';

describe('markdownReport', () => {
  const text = markdownReport(sampleReport());
  const rows = text.split('\n').filter((l) => l.startsWith('| S'));

  it('has a table row per result with the ratio of medians and the paired ratio to ort-web@1t', () => {
    expect(rows).toHaveLength(9);
    expect(rows[1]).toMatch(
      /^\| S2 \| lstm \| wasm \| simd128 \| 200 \|.*\| ×2\.00 \| ×1\.27 \[1\.19–1\.31\] \| 15 \| – \| 1\.5e-7 \|/,
    );
    expect(rows[2]).toMatch(
      /^\| S2 \| lstm \| wasm\+relaxed \| relaxed-simd \| 150 \|.*\| ×1\.50 \| ×0\.96 \[0\.91–1\.02\] \| 15 \|/,
    );
    expect(rows[3]).toMatch(/\| ort-web@1t \| – \|.*\| ×1\.00 \| anchor \| – \|/);
    expect(rows[0]).toContain('| ref |');
  });

  it('says which wasm build each row measured', () => {
    expect(text).toContain('Wasm builds measured: wasm: simd128; wasm+relaxed: relaxed-simd.');
    expect(text).toContain('--experimental-wasm-relaxed-simd');
  });

  it('lists the rows that could not be paired, with the reason, once per row name', () => {
    expect(text).toContain(`- ort-web@2t (S2 lstm, S1 gru): ${OWN_PROCESS}`);
    expect(text).toContain('- tfjs-layers@cpu (S2 lstm): 15 pairs would take ~18 s (budget 20 s)');
    expect(rows[4]).toMatch(/\| ort-web@2t \|.*\| – \| – \|/);
  });

  it('escapes pipes in cells so every table line has the same columns', () => {
    const lines = text.split('\n').filter((l) => l.startsWith('|'));
    const columns = (l: string) => l.split(/(?<!\\)\|/).length - 2;
    expect(lines.map(columns)).toEqual(lines.map(() => COLUMNS.length));
    expect(lines[0]).toContain('max \\|Δ\\|');
  });

  it('marks rows that ran a shortened sequence', () => {
    expect(text).toMatch(/\| tfjs-layers@cpu \| – \| 5500 \|.*\| 1 T=20 \|/);
  });

  it('states the machine, the settings, the method, the FLOP formula and the GRU variant', () => {
    expect(text).toContain('Test CPU <x86>, 2 cores, Node v20.20.2');
    expect(text).toContain('Settings: 7 timed runs per row (budget 30 s), 25 pairs with ort-web@1t');
    expect(text).toContain('2·T·B·G·H·(I_k + H)');
    expect(text).toContain('resetAfter: false');
    expect(text).toContain('process-wide');
    expect(text).toContain('10th–90th percentiles');
  });

  it('lists skipped rows with their reason', () => {
    expect(text).toContain('- ort-node S2 lstm: onnxruntime-node is not usable here');
  });
});

describe('jsonReport', () => {
  const parsed = JSON.parse(jsonReport(sampleReport()));

  it('carries the paired ratio, the reason for unpaired rows and the wasm build per row', () => {
    const wasm = parsed.results.find((r: { name: string }) => r.name === 'wasm');
    expect(wasm.build).toBe('simd128');
    expect(wasm.paired).toEqual({
      anchor: 'ort-web@1t',
      pairs: 15,
      median: 1.27,
      p10: 1.19,
      p90: 1.31,
      rowMedianMs: 130,
      anchorMedianMs: Number((130 / 1.27).toPrecision(6)),
    });
    expect(wasm.pairedNote).toBeNull();
    const relaxed = parsed.results.find((r: { name: string }) => r.name === 'wasm+relaxed');
    expect(relaxed.build).toBe('relaxed-simd');
    const own = parsed.results.find((r: { name: string }) => r.name === 'ort-web@2t');
    expect(own.paired).toBeNull();
    expect(own.pairedNote).toBe(OWN_PROCESS);
  });

  it('records the settings of the run', () => {
    expect(parsed.settings).toMatchObject({ repeats: 7, pairs: 25, quick: false });
  });
});

describe('parseJsonReport', () => {
  it('reads back what jsonReport wrote, so --from renders the same report', () => {
    const report = sampleReport();
    const again = parseJsonReport(jsonReport(report));
    expect(markdownReport(again)).toBe(markdownReport(report));
  });

  it('reads files written before the paired ratio and the build were recorded', () => {
    const old = JSON.parse(jsonReport(sampleReport()));
    delete old.settings;
    for (const r of old.results) {
      delete r.build;
      delete r.paired;
      delete r.pairedNote;
    }
    const report = parseJsonReport(JSON.stringify(old));
    expect(report.settings).toBeNull();
    expect(report.results[1]).toMatchObject({ build: null, paired: null, pairedNote: null });
    expect(markdownReport(report)).toContain('| ×2.00 | – | – |');
  });
});

describe('device work', () => {
  it('shows submissions / dispatches per call where a backend counts them, and keeps them in the JSON', () => {
    const base = sampleReport();
    const webgpu = row('webgpu', 'backend', 900, { work: { submissions: 1, dispatches: 2 } });
    const report = { ...base, results: [...base.results, webgpu] };
    const md = markdownReport(report);
    expect(md).toContain('submits / dispatches');
    expect(md).toMatch(/\| S2 \| lstm \| webgpu \|.*\| 1 \/ 2 \|/);
    expect(md).toMatch(/\| S2 \| lstm \| wasm \|.*\| – \|/);
    const json = JSON.parse(jsonReport(report));
    expect(json.results.at(-1).work).toEqual({ submissions: 1, dispatches: 2 });
    expect(json.results[0].work).toBeNull();
  });
});

describe('training reports (--train)', () => {
  const report = trainingReport();
  const text = markdownReport(report);
  const rows = text.split('\n').filter((l) => l.startsWith('| S'));

  it('takes every ratio against tfjs-layers@wasm and adds the losses of the first two steps', () => {
    expect(columns(report.results)).toContain('paired vs tfjs-layers@wasm [p10–p90]');
    expect(columns(report.results)).toContain('medians vs tfjs-layers@wasm');
    expect(columns(report.results).at(-1)).toBe(LOSS_COLUMN);
    expect(rows[1]).toMatch(
      /\| wasm \| simd128 \| 500 \|.*\| ×0\.10 \| ×0\.10 \[0\.09–0\.11\] \| 15 \|.*\| 0\.3388 → 0\.3382 \|$/,
    );
    expect(rows[2]).toMatch(/\| tfjs-layers@wasm \|.*\| ×1\.00 \| anchor \|/);
    expect(text).toContain('Not paired with tfjs-layers@wasm:');
    expect(text).toContain(
      '- tfjs-layers@cpu (S2 lstm): a training step takes tens of seconds here: timed on its own, not paired',
    );
  });

  it('states the loss, the optimizer and what a gated step counts', () => {
    expect(text).toContain('# gated benchmark: training steps');
    expect(text).toContain('mean squared error over every');
    expect(text).toContain('Adam, lr 0.001, betas (0.9, 0.999),\neps 1e-8');
    expect(text).toContain('`backend.compile` again from the updated weights');
    expect(text).toContain('- wasm+relaxed S2 lstm: wasm does not train yet');
    expect(text).not.toContain('steps per S1 run');
  });

  it('draws the terminal table and the chart against tfjs-layers@wasm too', () => {
    expect(textTable(report.results)).toContain('not paired with tfjs-layers@wasm:');
    const svg = svgChart(report.results);
    expect(svg).toContain('time per training step');
    expect(svg).toContain('ratio to tfjs-layers@wasm (paired, p10–p90)');
    expect(svg).toContain('= 1 (tfjs-layers@wasm)');
  });

  it('keeps the training fields through --json and --from', () => {
    const back = parseJsonReport(jsonReport(report));
    expect(back.settings?.train).toBe(true);
    expect(back.results.map((r) => [r.training, r.losses])).toEqual(
      report.results.map((r) => [true, r.losses]),
    );
    const old = JSON.parse(jsonReport(sampleReport()));
    for (const r of old.results) {
      delete r.training;
      delete r.losses;
    }
    delete old.settings.train;
    const parsedOld = parseJsonReport(JSON.stringify(old));
    expect(parsedOld.results.every((r) => r.training === false && r.losses === null)).toBe(true);
    expect(parsedOld.settings?.train).toBe(false);
  });
});
