import { SHAPE_IDS, type ShapeId } from './shapes.js';

/** What one run of the bench does per row; `--help`, the README and the reports read these. */
export interface RunSettings {
  readonly quick: boolean;
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

export interface ModeDefaults extends Omit<RunSettings, 'quick'> {
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
  overrides: { repeats?: number | null; pairs?: number | null } = {},
): RunSettings {
  const d = quick ? DEFAULTS.quick : DEFAULTS.full;
  return {
    quick,
    repeats: overrides.repeats ?? d.repeats,
    budgetMs: d.budgetMs,
    stepsPerRun: d.stepsPerRun,
    pairs: overrides.pairs ?? d.pairs,
    pairBudgetMs: d.pairBudgetMs,
  };
}

/** A row whose output is further than this from the reference is reported, not timed. */
export const MAX_ABS_DIFF = 1e-3;
