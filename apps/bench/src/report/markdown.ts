import { type BenchReport, groupRows } from '../results.js';
import { SHAPES } from '../shapes.js';
import { COLUMNS, RATIO_BASE, rowCells } from './rows.js';

const METHOD = `Method: every row of a shape × cell uses the same weights (\`initWeights(config, { seed: 1 })\`)
and the same input (seeded U(-1, 1)), in one process (ort-web rows in a child process each, since
ort-web fixes its thread count once per process). Each row's output is first compared with the
reference row's (the first gated backend that ran): max |Δ| is printed, and a row off by more
than 1e-3 is reported as skipped instead of timed. Then one warm-up run and the median (min, max)
of the timed runs; rows slower than the per-row time budget get fewer runs (the runs column; "cold"
= no warm-up). S1 times one \`stream.step\` (B=1) averaged over a batch of steps; S2–S4 time one
whole \`forward\` including the read-back of the output. With --quick, tfjs-layers@cpu forward rows
run only the first T/5 steps (runs column "T=20") and their times are scaled by T/20.
GFLOP/s = Σ over layers and directions of 2·T·B·G·H·(I_k + H) / time, with G = 4 (LSTM) or 3 (GRU)
and I_k the layer's input size (I, or 2·H above a bidirectional layer); elementwise gate math is
not counted. Ratios are median time / median time of ${RATIO_BASE} (×0.50 = twice as fast).
Peak RSS and heap are process.memoryUsage() sampled around each run: process-wide figures that
include whatever earlier rows left behind (for child-process rows: the child's own).`;

const GRU_NOTE = `GRU variant: every GRU row (gated backends and anchors alike) runs the gated GRU with
\`resetAfter: false\` (n = tanh(W_in·x + b_in + W_hn·(r ⊙ h) + b_hn); Keras reset_after=False, the
ONNX default), because tfjs-layers supports only that variant; tfjs rows use
recurrentActivation 'sigmoid' (its default is hardSigmoid).`;

/** The --markdown report: table, skipped rows, machine, method and the GRU variant. */
export function markdownReport(report: BenchReport): string {
  const { machine, results } = report;
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  const table = [
    line(COLUMNS),
    line(COLUMNS.map((_, i) => (i < 3 ? '---' : '---:'))),
    ...results.map((r) => line(rowCells(results, r))),
  ];
  const shapes = SHAPES.filter((s) => groupRows(results).some((g) => g.shape === s.id)).map(
    (s) => `- ${s.id}: ${s.label}`,
  );
  const parts = [
    '# gated benchmark',
    '',
    `${report.quick ? 'Quick run (--quick: few runs; not for publishing). ' : ''}Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.os}, ${machine.date}.`,
    '',
    ...table,
    '',
    ...shapes,
  ];
  if (report.skipped.length > 0) {
    parts.push(
      '',
      'Not run:',
      '',
      ...report.skipped.map((s) => `- ${s.name} ${s.shape} ${s.cell}: ${s.reason}`),
    );
  }
  parts.push('', METHOD, '', GRU_NOTE, '');
  return parts.join('\n');
}
