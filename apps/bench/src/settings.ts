import { SHAPE_IDS, type ShapeId } from './shapes.js';

/** What one run of the bench does per row; `--help`, the README and the reports read these. */
export interface RunSettings {
  readonly quick: boolean;
  /** Times one training step (forward, backward, Adam update) instead of a forward. */
  readonly train: boolean;
  /** Timed runs per row (the median is reported). */
  readonly repeats: number;
  /** Per-row time budget; slower rows get fewer runs. */
  readonly budgetMs: number;
  /** Stream steps per timed run (one step is microseconds: time many, divide). */
  readonly stepsPerRun: number;
  /** Forwards alternated with the pair anchor per row, in one process; 0: no pairs. */
  readonly pairs: number;
  /** A row's pairs are skipped (with a note) when they would take longer than this. */
  readonly pairBudgetMs: number;
}

/** The anchor every ratio is taken against, in the reports and in the alternated pairs. */
export const PAIR_ANCHOR = 'ort-web@1t';

/** The anchor of training runs (--train): tfjs-layers' `trainOnBatch` on tfjs's wasm backend. */
export const TRAIN_PAIR_ANCHOR = 'tfjs-layers@wasm';

/** The anchor a run's ratios are taken against: ort-web@1t for forwards, tfjs-layers@wasm for
 * training steps. */
export function pairAnchor(settings: Pick<RunSettings, 'train'>): string {
  return settings.train ? TRAIN_PAIR_ANCHOR : PAIR_ANCHOR;
}

/** The optimizer every training row uses: Adam with PyTorch's defaults (tfjs-layers gets the
 * same numbers; its own default eps is 1e-7). */
export const ADAM = { lr: 1e-3, betas: [0.9, 0.999] as const, eps: 1e-8 };

/** The rows --train runs when --backends is not given: the backends with backward kernels and
 * the tfjs-layers anchors (the tfjs-layers@wasm anchor before the slow cpu one, so that a run
 * whose gated rows do not train still has a full-length reference). */
export const TRAIN_ROWS = ['ts', 'wasm', 'wasm+relaxed', 'tfjs-layers@wasm', 'tfjs-layers@cpu'];

/** The shapes --train runs by default (the figure), and those it can run: the
 * whole-sequence forward shapes (a stream step has nothing to train). */
export const TRAIN_SHAPES: readonly ShapeId[] = ['S2'];
export const TRAINABLE_SHAPES: readonly ShapeId[] = ['S2', 'S3', 'S4'];

/** A training step of tfjs-layers takes seconds (S2 LSTM on tfjs wasm: ~5 s), so --train pairs
 * get their own budget (per row, ms). */
export const TRAIN_PAIR_BUDGET_MS = { full: 600_000, quick: 300_000 };

/** Fewest pairs that give a ratio worth printing (the p10–p90 of fewer is noise). */
export const MIN_PAIRS = 15;

/** In pairs, each run repeats the call until the faster side's run lasts this long (ms), and
 * at most MAX_CALLS_PER_RUN times. */
export const PAIR_MIN_RUN_MS = 20;
export const MAX_CALLS_PER_RUN = 10_000;

/** Quick mode runs slow subjects (tfjs on its cpu backend: ~13 s per S2 GRU forward) on the
 * first T/QUICK_STEP_DIVISOR steps and scales the time up: a unidirectional forward's cost is
 * linear in T and its first steps' output is a prefix of the full one, so the check still holds. */
export const QUICK_STEP_DIVISOR = 5;

/** The node flag that turns on relaxed SIMD on Node 20 (on by default from Node 22, Chrome 114). */
export const RELAXED_SIMD_FLAG = '--experimental-wasm-relaxed-simd';

export interface ModeDefaults extends Omit<RunSettings, 'quick' | 'train'> {
  readonly shapes: readonly ShapeId[];
}

export const DEFAULTS: { readonly full: ModeDefaults; readonly quick: ModeDefaults } = {
  full: {
    shapes: SHAPE_IDS,
    repeats: 7,
    budgetMs: 30_000,
    stepsPerRun: 100,
    pairs: 25,
    pairBudgetMs: 60_000,
  },
  quick: {
    shapes: ['S1', 'S2'],
    repeats: 3,
    budgetMs: 5_000,
    stepsPerRun: 20,
    pairs: MIN_PAIRS,
    pairBudgetMs: 20_000,
  },
};

/** The settings of a run: the mode's defaults, with --repeats and --pairs when given. */
export function runSettings(
  quick: boolean,
  overrides: { repeats?: number | null; pairs?: number | null; train?: boolean } = {},
): RunSettings {
  const d = quick ? DEFAULTS.quick : DEFAULTS.full;
  const train = overrides.train === true;
  return {
    quick,
    train,
    repeats: overrides.repeats ?? d.repeats,
    budgetMs: d.budgetMs,
    stepsPerRun: d.stepsPerRun,
    pairs: overrides.pairs ?? d.pairs,
    pairBudgetMs: train ? TRAIN_PAIR_BUDGET_MS[quick ? 'quick' : 'full'] : d.pairBudgetMs,
  };
}

/** A row whose output is further than this from the reference is reported, not timed. */
export const MAX_ABS_DIFF = 1e-3;

/** A training row whose loss falls by more or less than its kind's reference's over its first
 * Adam step, by more than this fraction of the reference's fall, is reported, not timed (ts,
 * wasm and wasm+relaxed agree to 7 digits on S2; tfjs-layers on cpu and wasm likewise). */
export const LOSS_STEP_TOLERANCE = 0.02;
