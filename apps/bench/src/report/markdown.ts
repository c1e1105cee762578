import { type BenchReport, groupRows } from '../results.js';
import { ADAM, LOSS_STEP_TOLERANCE, PAIR_ANCHOR, RELAXED_SIMD_FLAG, TRAIN_PAIR_ANCHOR } from '../settings.js';
import { SHAPES } from '../shapes.js';
import { buildSummary, columns, notPairedLines, ratioBase, rowCells, TEXT_COLUMNS } from './rows.js';

const METHOD = `Method: every row of a shape × cell uses the same weights (\`initWeights(config, { seed: 1 })\`)
and the same input (seeded U(-1, 1)), in one process (ort-web rows in a child process each, since
ort-web fixes its thread count once per process; wasm+relaxed in a child started with
\`${RELAXED_SIMD_FLAG}\`). Each row's output is first compared with the reference row's (the first
gated backend that ran): max |Δ| is printed, and a row off by more than 1e-3 is reported as
skipped instead of timed. Then one warm-up run and the median (min, max) of the timed runs; rows
slower than the per-row time budget get fewer runs (the runs column; "cold" = no warm-up). S1
times one \`stream.step\` (B=1) averaged over a batch of steps; S2–S4 time one whole \`forward\`
including the read-back of the output. With --quick, tfjs-layers@cpu forward rows run only the
first T/5 steps (runs column "T=20") and their times are scaled by T/20.
GFLOP/s = Σ over layers and directions of 2·T·B·G·H·(I_k + H) / time, with G = 4 (LSTM) or 3 (GRU)
and I_k the layer's input size (I, or 2·H above a bidirectional layer); elementwise gate math is
not counted.
Ratios to ${PAIR_ANCHOR} (×0.50 = twice as fast): times on these machines move by up to 2× between
runs, and the speed of one process holds for seconds while it differs by up to 1.6× between
processes, so the ratio of two medians taken in different processes ("medians") can be off by as
much. The paired ratio does not have that error: the row and ${PAIR_ANCHOR} are prepared in one
child process and run alternately (row, anchor, row, anchor, …; one warm-up each), each pair
gives one ratio, and the table shows their median and 10th–90th percentiles [p10–p90] over the
pairs column's count. Rows that cannot share that process, or whose pairs would exceed the pair
budget, are listed under "Not paired".
Peak RSS and heap are process.memoryUsage() sampled around each run: process-wide figures that
include whatever earlier rows left behind (for child-process rows: the child's own).`;

const TRAIN_METHOD = `Method (--train): every row times one training step on the same weights
(\`initWeights(config, { seed: 1 })\`), input (seeded U(-1, 1)) and target (seeded U(-1, 1) of the
output's shape), each row training its own copy of the weights. Loss: mean squared error over every
output value (all T steps, returnSequences). Optimizer: Adam, lr ${ADAM.lr}, betas (${ADAM.betas.join(', ')}),
eps ${ADAM.eps}, for every row. A gated step is \`model.recordForward(x)\`, @gated/train's
\`meanSquaredError\`, \`backward({ output })\`, \`release()\`, @gated/train's \`adam().step\` on the
weights and \`backend.compile\` again from the updated weights (a compiled model's weights are fixed),
all of it timed; a tfjs-layers step is \`model.trainOnBatch(x, target)\` on a model compiled with
\`tf.train.adam\` (same numbers) and 'meanSquaredError'. Each row runs two steps first: the first
step's forward output is compared with the reference row's (max |Δ|, 1e-3 limit), and its loss must
fall over the first Adam step by the fall of the first row of its kind within ${LOSS_STEP_TOLERANCE * 100}% (the
loss column; gated rows with gated rows, tfjs-layers with tfjs-layers: gated has PyTorch's two bias
vectors per gate, Keras one, and Adam moves each by about lr, so gated's loss falls a little more),
else the row is reported as skipped. Then one warm-up step and the median (min, max) of the
timed steps; tfjs-layers@cpu gets one timed step (with --quick on the first T/5 steps, time scaled).
GFLOP/s counts the gate GEMMs of a step: 3 × the forward's (the backward has the gradients of the
inputs and states and those of the weights).
Paired ratios to ${TRAIN_PAIR_ANCHOR}: the row and ${TRAIN_PAIR_ANCHOR} are prepared in one child process
and step alternately (one warm-up each); each pair gives one ratio, the table shows their median and
[p10–p90]. Times of these machines move by up to 2× between runs and processes; the paired ratio
does not have that error, the ratio of medians ("medians") does.`;

export const GRU_NOTE = `GRU variant: every GRU row (gated backends and anchors alike) runs the gated GRU with
\`resetAfter: false\` (n = tanh(W_in·x + b_in + W_hn·(r ⊙ h) + b_hn); Keras reset_after=False, the
ONNX default), because tfjs-layers supports only that variant; tfjs rows use
recurrentActivation 'sigmoid' (its default is hardSigmoid).`;

const BUILD_NOTE = `Wasm builds: backend-wasm ships a SIMD128 build and a relaxed-SIMD build (fused
multiply-add) and loads the relaxed one where the engine compiles it: by default in Chrome ≥ 114
and Node ≥ 22, on Node 20 only with \`${RELAXED_SIMD_FLAG}\`, so most users get the relaxed one.
The build column says which one each row measured.`;

/** The --markdown report: table, rows not paired, skipped rows, machine, method, the GRU variant. */
export function markdownReport(report: BenchReport): string {
  const { machine, results } = report;
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  const header = columns(results);
  const training = results.some((r) => r.training);
  const anchor = ratioBase(results);
  const table = [
    line(header),
    line(header.map((_, i) => (i < TEXT_COLUMNS ? '---' : '---:'))),
    ...results.map((r) => line(rowCells(results, r))),
  ];
  const shapes = SHAPES.filter((s) => groupRows(results).some((g) => g.shape === s.id)).map(
    (s) => `- ${s.id}: ${s.label}`,
  );
  const settings = report.settings;
  const parts = [
    training ? '# gated benchmark: training steps' : '# gated benchmark',
    '',
    `${report.quick ? 'Quick run (--quick: few runs; not for publishing). ' : ''}Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.os}, ${machine.date}.`,
  ];
  if (settings) {
    parts.push(
      '',
      `Settings: ${settings.repeats} timed runs per row (budget ${settings.budgetMs / 1000} s), ${settings.pairs} pairs with ${anchor} per row (budget ${settings.pairBudgetMs / 1000} s)${training ? '' : `, ${settings.stepsPerRun} steps per S1 run`}.`,
    );
  }
  const builds = buildSummary(results);
  if (builds) parts.push('', `Wasm builds measured: ${builds}.`);
  parts.push('', ...table, '', ...shapes);
  const unpaired = notPairedLines(results);
  if (unpaired.length > 0) parts.push('', `Not paired with ${anchor}:`, '', ...unpaired.map((l) => `- ${l}`));
  if (report.skipped.length > 0) {
    parts.push(
      '',
      'Not run:',
      '',
      ...report.skipped.map((s) => `- ${s.name} ${s.shape} ${s.cell}: ${s.reason}`),
    );
  }
  parts.push('', training ? TRAIN_METHOD : METHOD, '', GRU_NOTE, '', BUILD_NOTE, '');
  return parts.join('\n');
}
