import { describe, expect, it } from 'vitest';
import { ArgsError, parseArgs, selectRows, selects } from './args.js';
import { FLAGS, usage } from './flags.js';
import { DEFAULTS, TRAIN_PAIR_BUDGET_MS, TRAIN_ROWS } from './settings.js';

describe('parseArgs', () => {
  it('runs every shape and cell with the full-run defaults', () => {
    const args = parseArgs([]);
    expect(args.shapes).toEqual(['S1', 'S2', 'S3', 'S4']);
    expect(args.cells).toEqual(['lstm', 'gru']);
    expect(args.settings).toEqual({ quick: false, train: false, ...withoutShapes(DEFAULTS.full) });
    expect(args.settings.repeats).toBe(7);
    expect(args.settings.pairs).toBeGreaterThanOrEqual(15);
    expect(args.backends).toBeNull();
  });

  it('limits --quick to S1 and S2 with fewer repeats, still at least 15 pairs', () => {
    const args = parseArgs(['--quick', '--json', 'out.json']);
    expect(args.shapes).toEqual(['S1', 'S2']);
    expect(args.settings).toEqual({ quick: true, train: false, ...withoutShapes(DEFAULTS.quick) });
    expect(args.settings.repeats).toBe(3);
    expect(args.settings.pairs).toBe(15);
    expect(args.json).toBe('out.json');
  });

  it('reads comma lists, --flag=value and ignores a passed-through --', () => {
    const args = parseArgs([
      '--',
      '--shapes=s3,S4',
      '--cells',
      'gru',
      '--backends',
      'ts, ort-web',
      '--repeats',
      '9',
      '--pairs=0',
      '--svg',
      'a.svg',
      '--from',
      'old.json',
    ]);
    expect(args.shapes).toEqual(['S3', 'S4']);
    expect(args.cells).toEqual(['gru']);
    expect(args.backends).toEqual(['ts', 'ort-web']);
    expect(args.settings.repeats).toBe(9);
    expect(args.settings.pairs).toBe(0);
    expect(args.svg).toBe('a.svg');
    expect(args.from).toBe('old.json');
  });

  it('keeps --repeats and --pairs over the quick defaults', () => {
    const args = parseArgs(['--pairs', '31', '--quick', '--repeats', '5']);
    expect(args.settings.pairs).toBe(31);
    expect(args.settings.repeats).toBe(5);
    expect(args.settings.budgetMs).toBe(DEFAULTS.quick.budgetMs);
  });

  it('runs training steps on S2 with --train, with their own pair budget', () => {
    const args = parseArgs(['--train', '--quick']);
    expect(args.settings.train).toBe(true);
    expect(args.shapes).toEqual(['S2']);
    expect(args.settings.pairs).toBe(DEFAULTS.quick.pairs);
    expect(args.settings.pairBudgetMs).toBe(TRAIN_PAIR_BUDGET_MS.quick);
    expect(parseArgs(['--train']).settings.pairBudgetMs).toBe(TRAIN_PAIR_BUDGET_MS.full);
    expect(parseArgs(['--train', '--shapes', 's3,S4']).shapes).toEqual(['S3', 'S4']);
  });

  it('refuses a stream shape with --train (a stream step has nothing to train)', () => {
    expect(() => parseArgs(['--train', '--shapes', 'S1,S2'])).toThrow(
      /--shapes \(with --train\): expected .*S2, S3, S4, received "S1"/,
    );
  });

  it('takes -h and --help', () => {
    expect(parseArgs(['-h']).help).toBe(true);
    expect(parseArgs(['--help']).help).toBe(true);
  });

  it('names the flag, the expected and the received value on bad input', () => {
    expect(() => parseArgs(['--shapes', 'S9'])).toThrow(/--shapes: expected .*S1, S2, S3, S4, received "S9"/);
    expect(() => parseArgs(['--repeats', '0'])).toThrow(/--repeats: expected an integer ≥ 1, received "0"/);
    expect(() => parseArgs(['--pairs', '-1'])).toThrow(/--pairs: expected an integer ≥ 0, received "-1"/);
    expect(() => parseArgs(['--json'])).toThrow(/--json: expected a value/);
    expect(() => parseArgs(['--quick=yes'])).toThrow(/--quick: takes no value/);
    expect(() => parseArgs(['--fast'])).toThrow(ArgsError);
  });

  it('accepts every flag that --help lists, and lists every flag it accepts', () => {
    const help = usage();
    for (const spec of FLAGS) {
      expect(help).toContain(spec.flag);
      const argv = spec.value ? [spec.flag, spec.flag === '--shapes' ? 'S1' : '3'] : [spec.flag];
      if (spec.flag === '--cells') argv[1] = 'gru';
      expect(() => parseArgs(argv)).not.toThrow();
    }
    expect(() => parseArgs(['--budget', '3'])).toThrow(/unknown argument "--budget"/);
  });
});

function withoutShapes<T extends { shapes: unknown }>(d: T): Omit<T, 'shapes'> {
  const { shapes: _, ...rest } = d;
  return rest;
}

describe('selects', () => {
  it('selects everything without a filter', () => {
    expect(selects(null, 'ort-node', [])).toBe(true);
  });

  it('matches a row by name, alias or family before the @ or +', () => {
    expect(selects(['wasm'], 'wasm', ['wasm', 'backend-wasm'])).toBe(true);
    expect(selects(['wasm'], 'wasm+relaxed', [])).toBe(true);
    expect(selects(['wasm+relaxed'], 'wasm+relaxed', [])).toBe(true);
    expect(selects(['wasm+relaxed'], 'wasm', ['wasm', 'backend-wasm'])).toBe(false);
    expect(selects(['ort-web'], 'ort-web@2t', ['ort-web', 'ort'])).toBe(true);
    expect(selects(['tfjs-layers@cpu'], 'tfjs-layers@wasm', ['tfjs-layers'])).toBe(false);
    expect(selects(['wasm'], 'tfjs-layers@wasm', ['tfjs-layers', 'tfjs'])).toBe(false);
  });
});

describe('selectRows', () => {
  const row = (name: string, aliases: string[] = [], slow = false) => ({ name, aliases, slow });
  const all = [
    row('ts', ['ts', 'backend-ts']),
    row('wasm', ['wasm', 'backend-wasm']),
    row('wasm+relaxed', ['wasm', 'relaxed']),
    row('wasm@2t', ['wasm@2t']),
    row('onnx', ['onnx']),
    row('tfjs-layers@cpu', ['tfjs-layers', 'tfjs'], true),
    row('tfjs-layers@wasm', ['tfjs-layers', 'tfjs']),
    row('ort-web@1t', ['ort-web', 'ort']),
  ];
  const names = (rows: { name: string }[]) => rows.map((r) => r.name);

  it('keeps the order and --backends filter of forward runs', () => {
    expect(names(selectRows(all, ['tfjs-layers', 'ts'], false))).toEqual([
      'ts',
      'tfjs-layers@cpu',
      'tfjs-layers@wasm',
    ]);
  });

  it('runs the training rows by default with --train, the slow cpu anchor last', () => {
    expect(names(selectRows(all, null, true))).toEqual([
      'ts',
      'wasm',
      'wasm+relaxed',
      'tfjs-layers@wasm',
      'tfjs-layers@cpu',
    ]);
    expect([...TRAIN_ROWS].sort()).toEqual(names(selectRows(all, null, true)).sort());
  });

  it('takes --backends with --train, slow rows still last', () => {
    expect(names(selectRows(all, ['tfjs', 'wasm'], true))).toEqual([
      'wasm',
      'wasm+relaxed',
      'wasm@2t',
      'tfjs-layers@wasm',
      'tfjs-layers@cpu',
    ]);
  });
});
