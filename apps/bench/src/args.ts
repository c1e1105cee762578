import { BENCH_CELLS, type BenchCell, SHAPE_IDS, type ShapeId } from './shapes.js';

export interface BenchArgs {
  readonly quick: boolean;
  readonly shapes: readonly ShapeId[];
  readonly cells: readonly BenchCell[];
  /** Row-name filters (a backend's name or short name, an anchor's name or family); null = all. */
  readonly backends: readonly string[] | null;
  readonly repeats: number;
  readonly json: string | null;
  readonly markdown: string | null;
  readonly svg: string | null;
  /** Re-render the reports from an earlier --json file instead of running. */
  readonly from: string | null;
  readonly help: boolean;
}

export const USAGE = `usage: gated-bench [options]
  --quick              S1 and S2, 3 runs, tfjs-layers@cpu forward rows once without warm-up
  --shapes S1,S2,...   standard shapes (S1 stream step, S2 batch, S3 large, S4 stack)
  --cells lstm,gru     cells
  --backends a,b,...   rows to run: backend names or short names (ts, wasm, wasm@2t, onnx) and
                       anchors (tfjs-layers@cpu, tfjs-layers@wasm, ort-web@1t, ort-web@2t, ort-node,
                       or a family: tfjs-layers, ort-web, ort)
  --repeats N          timed runs per row (default 7, quick 3); the median is reported
  --json FILE          machine, results and skipped rows as JSON
  --markdown FILE      report: table, machine, method
  --svg FILE           bar chart, log-scale time per shape and cell
  --from FILE          no run: re-render the table, --markdown and --svg from an earlier --json file
  -h, --help           this text`;

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

/** Parses the command line (without node and the script). `--flag=value` works too. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const values = new Map<string, string | true>();
  const valued = new Set([
    '--shapes',
    '--cells',
    '--backends',
    '--repeats',
    '--json',
    '--markdown',
    '--svg',
    '--from',
  ]);
  const bare = new Set(['--quick', '--help', '-h']);
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] =
      argv[i].startsWith('--') && argv[i].includes('=')
        ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)]
        : [argv[i], undefined];
    if (flag === '--') continue; // pnpm and npm may pass a separator through
    if (bare.has(flag)) {
      values.set(flag === '-h' ? '--help' : flag, true);
    } else if (valued.has(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--'))
        throw new ArgsError(`${flag}: expected a value, received nothing`);
      values.set(flag, value);
    } else {
      throw new ArgsError(`unknown argument ${JSON.stringify(argv[i])}\n${USAGE}`);
    }
  }
  const quick = values.get('--quick') === true;
  const text = (flag: string) => {
    const v = values.get(flag);
    return typeof v === 'string' ? v : null;
  };
  const repeatsText = text('--repeats');
  const repeats = repeatsText === null ? (quick ? 3 : 7) : Number(repeatsText);
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new ArgsError(`--repeats: expected an integer ≥ 1, received ${JSON.stringify(repeatsText)}`);
  const shapesText = text('--shapes');
  const cellsText = text('--cells');
  const backendsText = text('--backends');
  return {
    quick,
    shapes: shapesText
      ? list('--shapes', shapesText.toUpperCase(), SHAPE_IDS)
      : quick
        ? ['S1', 'S2']
        : SHAPE_IDS,
    cells: cellsText ? list('--cells', cellsText.toLowerCase(), BENCH_CELLS) : BENCH_CELLS,
    backends: backendsText
      ? backendsText
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : null,
    repeats,
    json: text('--json'),
    markdown: text('--markdown'),
    svg: text('--svg'),
    from: text('--from'),
    help: values.get('--help') === true,
  };
}

/** Whether a row is selected by --backends: its name, one of its aliases, or its name
 * without the '@…' variant matches a filter. */
export function selects(
  filters: readonly string[] | null,
  name: string,
  aliases: readonly string[],
): boolean {
  if (filters === null) return true;
  const names = new Set([name, name.split('@')[0], ...aliases].map((n) => n.toLowerCase()));
  return filters.some((f) => names.has(f.toLowerCase()));
}
