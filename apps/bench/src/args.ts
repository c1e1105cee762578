import { FLAGS, type FlagSpec, usage } from './flags.js';
import {
  DEFAULTS,
  type RunSettings,
  runSettings,
  TRAIN_ROWS,
  TRAIN_SHAPES,
  TRAINABLE_SHAPES,
} from './settings.js';
import { BENCH_CELLS, type BenchCell, SHAPE_IDS, type ShapeId } from './shapes.js';

export interface BenchArgs {
  readonly settings: RunSettings;
  readonly shapes: readonly ShapeId[];
  readonly cells: readonly BenchCell[];
  /** Row-name filters (a backend's name or short name, an anchor's name or family); null = all. */
  readonly backends: readonly string[] | null;
  readonly json: string | null;
  readonly markdown: string | null;
  readonly svg: string | null;
  /** Re-render the reports from an earlier --json file instead of running. */
  readonly from: string | null;
  readonly help: boolean;
}

export class ArgsError extends Error {
  override name = 'ArgsError';
}

function list<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new ArgsError(
        `${flag}: expected a comma-separated list of ${allowed.join(', ')}, received ${JSON.stringify(item)}`,
      );
    }
  }
  if (items.length === 0)
    throw new ArgsError(`${flag}: expected at least one of ${allowed.join(', ')}, received nothing`);
  return items as T[];
}

function integer(flag: string, text: string | null, min: number): number | null {
  if (text === null) return null;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new ArgsError(`${flag}: expected an integer ≥ ${min}, received ${JSON.stringify(text)}`);
  return n;
}

/** Parses the command line (without node and the script) against FLAGS. `--flag=value` works too. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const values = new Map<string, string | true>();
  const specs = new Map<string, FlagSpec>();
  for (const spec of FLAGS) {
    specs.set(spec.flag, spec);
    if (spec.short) specs.set(spec.short, spec);
  }
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] =
      argv[i].startsWith('--') && argv[i].includes('=')
        ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)]
        : [argv[i], undefined];
    if (name === '--') continue; // pnpm and npm may pass a separator through
    const spec = specs.get(name);
    if (!spec) throw new ArgsError(`unknown argument ${JSON.stringify(argv[i])}\n${usage()}`);
    if (!spec.value) {
      if (inline !== undefined)
        throw new ArgsError(`${spec.flag}: takes no value, received ${JSON.stringify(inline)}`);
      values.set(spec.flag, true);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--'))
      throw new ArgsError(`${spec.flag}: expected a value, received nothing`);
    values.set(spec.flag, value);
  }
  const quick = values.get('--quick') === true;
  const train = values.get('--train') === true;
  const text = (flag: string) => {
    const v = values.get(flag);
    return typeof v === 'string' ? v : null;
  };
  const shapesText = text('--shapes');
  const cellsText = text('--cells');
  const backendsText = text('--backends');
  return {
    settings: runSettings(quick, {
      repeats: integer('--repeats', text('--repeats'), 1),
      pairs: integer('--pairs', text('--pairs'), 0),
      train,
    }),
    shapes: shapesText
      ? list(
          train ? '--shapes (with --train)' : '--shapes',
          shapesText.toUpperCase(),
          train ? TRAINABLE_SHAPES : SHAPE_IDS,
        )
      : train
        ? TRAIN_SHAPES
        : quick
          ? DEFAULTS.quick.shapes
          : DEFAULTS.full.shapes,
    cells: cellsText ? list('--cells', cellsText.toLowerCase(), BENCH_CELLS) : BENCH_CELLS,
    backends: backendsText
      ? backendsText
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : null,
    json: text('--json'),
    markdown: text('--markdown'),
    svg: text('--svg'),
    from: text('--from'),
    help: values.get('--help') === true,
  };
}

/** Whether a row is selected by --backends: its name, one of its aliases, or its name
 * without the '@…' or '+…' variant matches a filter. */
export function selects(
  filters: readonly string[] | null,
  name: string,
  aliases: readonly string[],
): boolean {
  if (filters === null) return true;
  const names = new Set([name, name.split(/[@+]/)[0], ...aliases].map((n) => n.toLowerCase()));
  return filters.some((f) => names.has(f.toLowerCase()));
}

/** The rows of a run, in run order: those --backends selects; with --train and no --backends,
 * the TRAIN_ROWS. A training run puts slow rows (tfjs-layers@cpu) last, so that the first full
 * row of a group, the reference, is not one that quick mode shortens. */
export function selectRows<S extends { name: string; aliases: readonly string[]; slow?: boolean }>(
  subjects: readonly S[],
  filters: readonly string[] | null,
  train: boolean,
): S[] {
  if (!train) return subjects.filter((s) => selects(filters, s.name, s.aliases));
  const picked = subjects.filter((s) =>
    filters === null ? TRAIN_ROWS.includes(s.name) : selects(filters, s.name, s.aliases),
  );
  return [...picked.filter((s) => !s.slow), ...picked.filter((s) => s.slow)];
}
