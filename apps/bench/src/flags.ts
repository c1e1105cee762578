import {
  ADAM,
  DEFAULTS,
  MIN_PAIRS,
  PAIR_ANCHOR,
  QUICK_STEP_DIVISOR,
  TRAIN_PAIR_ANCHOR,
  TRAIN_PAIR_BUDGET_MS,
  TRAIN_ROWS,
  TRAIN_SHAPES,
  TRAINABLE_SHAPES,
} from './settings.js';
import { SHAPE_IDS, SHAPES } from './shapes.js';

/** One command-line flag: the single definition `--help`, the parser and the README read. */
export interface FlagSpec {
  readonly flag: `--${string}`;
  readonly short?: `-${string}`;
  /** The value's placeholder; absent for a switch. */
  readonly value?: string;
  readonly help: string;
}

const { full, quick } = DEFAULTS;
const seconds = (ms: number) => `${ms / 1000} s`;
const quickSteps = SHAPES.find((s) => s.id === 'S2')!.steps / QUICK_STEP_DIVISOR;

export const FLAGS: readonly FlagSpec[] = [
  {
    flag: '--quick',
    help:
      `${quick.shapes.join(' and ')} only, ${quick.repeats} timed runs, ${quick.pairs} pairs and a ` +
      `${seconds(quick.budgetMs)} budget per row, ${quick.stepsPerRun} steps per S1 run; ` +
      `tfjs-layers@cpu forward rows run the first T/${QUICK_STEP_DIVISOR} steps, time scaled by ` +
      `${QUICK_STEP_DIVISOR} (runs column "T=${quickSteps}")`,
  },
  {
    flag: '--train',
    help:
      `time one training step instead of a forward: recordForward, mean squared error over every ` +
      `output value, backward, release, @gated/train's Adam (lr ${ADAM.lr}, betas ${ADAM.betas.join(', ')}, ` +
      `eps ${ADAM.eps}) and compiling the model again from the updated weights; next to tfjs-layers ` +
      `trainOnBatch with the same model, loss and Adam. Shapes ${TRAINABLE_SHAPES.join(', ')} (default ` +
      `${TRAIN_SHAPES.join(',')}); rows ${TRAIN_ROWS.join(', ')} unless --backends says otherwise; paired ` +
      `with ${TRAIN_PAIR_ANCHOR} (pair budget ${seconds(TRAIN_PAIR_BUDGET_MS.full)}, quick ` +
      `${seconds(TRAIN_PAIR_BUDGET_MS.quick)}); tfjs-layers@cpu is not paired and gets 1 timed run after its ` +
      `warm-up (quick: on T/${QUICK_STEP_DIVISOR} steps, time scaled)`,
  },
  {
    flag: '--shapes',
    value: SHAPE_IDS.join(','),
    help: `shapes to run: ${SHAPES.map((s) => `${s.id} ${s.label.split(' ')[0]}`).join(', ')} (default all; quick: ${quick.shapes.join(',')})`,
  },
  { flag: '--cells', value: 'lstm,gru', help: 'cells to run (default both)' },
  {
    flag: '--backends',
    value: 'a,b,...',
    help:
      "rows to run: a backend's name or package short name (ts, wasm, wasm+relaxed, wasm@2t, onnx, " +
      'onnx@node, tfjs@cpu, tfjs@wasm; wasm selects all three wasm rows, onnx both onnx rows, tfjs both tfjs rows and ' +
      'the tfjs-layers anchors), an anchor (tfjs-layers@cpu, tfjs-layers@wasm, ort-web@1t, ' +
      `ort-web@2t, ort-node) or a family (tfjs-layers, tfjs, ort-web, ort); pairs need ${PAIR_ANCHOR} (--train: ${TRAIN_PAIR_ANCHOR}) among them`,
  },
  {
    flag: '--repeats',
    value: 'N',
    help: `timed runs per row (default ${full.repeats}, quick ${quick.repeats}); the median is reported`,
  },
  {
    flag: '--pairs',
    value: 'N',
    help:
      `forwards of each row alternated with ${PAIR_ANCHOR} (--train: training steps with ${TRAIN_PAIR_ANCHOR}) in one process, for the paired ratio's ` +
      `median and p10–p90 (default ${full.pairs}, quick ${quick.pairs}; 0: none; below ${MIN_PAIRS} ` +
      `the spread is noise); rows whose pairs would take over ${seconds(full.pairBudgetMs)} ` +
      `(quick ${seconds(quick.pairBudgetMs)}) are not paired`,
  },
  {
    flag: '--json',
    value: 'FILE',
    help: 'machine, settings, results and skipped rows as JSON (fields: see "JSON" in the README)',
  },
  {
    flag: '--markdown',
    value: 'FILE',
    help: 'report: table, rows not paired, skipped rows, machine, method, GRU variant',
  },
  {
    flag: '--svg',
    value: 'FILE',
    help: `chart: median time per shape × cell (log scale) and the ratio to ${PAIR_ANCHOR} or ${TRAIN_PAIR_ANCHOR} (paired median, p10–p90)`,
  },
  {
    flag: '--from',
    value: 'FILE',
    help: 'no run: re-render the table, --markdown and --svg from an earlier --json file',
  },
  { flag: '--help', short: '-h', help: 'this text' },
];

function flagLabel(spec: FlagSpec): string {
  const names = spec.short ? `${spec.short}, ${spec.flag}` : spec.flag;
  return spec.value ? `${names} ${spec.value}` : names;
}

/** Greedy word wrap to `width` columns. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** The --help text. */
export function usage(width = 100): string {
  const labels = FLAGS.map(flagLabel);
  const column = Math.max(...labels.map((l) => l.length)) + 4;
  const lines = ['usage: gated-bench [options]', ''];
  FLAGS.forEach((spec, i) => {
    const text = wrap(spec.help, width - column);
    lines.push(`  ${labels[i].padEnd(column - 2)}${text[0]}`);
    for (const more of text.slice(1)) lines.push(`${' '.repeat(column)}${more}`);
  });
  return lines.join('\n');
}

/** The README's flag table. */
export function flagsMarkdown(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  return [
    '| flag | meaning |',
    '| --- | --- |',
    ...FLAGS.map((spec) => `| \`${flagLabel(spec)}\` | ${cell(spec.help)} |`),
  ].join('\n');
}
