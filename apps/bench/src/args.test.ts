import { describe, expect, it } from 'vitest';
import { ArgsError, parseArgs, selects } from './args.js';

describe('parseArgs', () => {
  it('runs every shape and cell with 7 repeats by default', () => {
    const args = parseArgs([]);
    expect(args.shapes).toEqual(['S1', 'S2', 'S3', 'S4']);
    expect(args.cells).toEqual(['lstm', 'gru']);
    expect(args.repeats).toBe(7);
    expect(args.backends).toBeNull();
    expect(args.quick).toBe(false);
  });

  it('limits --quick to S1 and S2 with fewer repeats', () => {
    const args = parseArgs(['--quick', '--json', 'out.json']);
    expect(args.shapes).toEqual(['S1', 'S2']);
    expect(args.repeats).toBe(3);
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
      '--svg',
      'a.svg',
    ]);
    expect(args.shapes).toEqual(['S3', 'S4']);
    expect(args.cells).toEqual(['gru']);
    expect(args.backends).toEqual(['ts', 'ort-web']);
    expect(args.repeats).toBe(9);
    expect(args.svg).toBe('a.svg');
  });

  it('names the flag, the expected and the received value on bad input', () => {
    expect(() => parseArgs(['--shapes', 'S9'])).toThrow(/--shapes: expected .*S1, S2, S3, S4, received "S9"/);
    expect(() => parseArgs(['--repeats', '0'])).toThrow(/--repeats: expected an integer ≥ 1, received "0"/);
    expect(() => parseArgs(['--json'])).toThrow(/--json: expected a value/);
    expect(() => parseArgs(['--fast'])).toThrow(ArgsError);
  });
});

describe('selects', () => {
  it('selects everything without a filter', () => {
    expect(selects(null, 'ort-node', [])).toBe(true);
  });

  it('matches a row by name, alias or family before the @', () => {
    expect(selects(['wasm'], 'wasm', ['wasm', 'backend-wasm'])).toBe(true);
    expect(selects(['ort-web'], 'ort-web@2t', ['ort-web', 'ort'])).toBe(true);
    expect(selects(['tfjs-layers@cpu'], 'tfjs-layers@wasm', ['tfjs-layers'])).toBe(false);
    expect(selects(['wasm'], 'tfjs-layers@wasm', ['tfjs-layers', 'tfjs'])).toBe(false);
  });
});
