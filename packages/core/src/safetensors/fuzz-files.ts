import type { RecurrentConfig } from '../config.js';

type Random = () => number;

import { weightShapes } from '../weights.js';

/** Structure-aware safetensors files for fuzzing: headers built from the format's own parts
 * (names a config expects, dtypes, shapes, offsets, metadata), each part valid or broken on
 * purpose, then laid out as bytes with a consistent or a lying header length. */

const DTYPES = ['F32', 'F16', 'BF16', 'F64'] as const;
const SIZES: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8 };
const BAD_DTYPES = ['I64', 'f32', '', 'F32 ', 'U8', 'BOOL'];

export const FUZZ_CONFIGS: readonly RecurrentConfig[] = [
  { cell: 'lstm', inputSize: 3, hiddenSize: 4 },
  { cell: 'gru', inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true },
  { cell: 'rnn', inputSize: 5, hiddenSize: 2, bias: false },
  { cell: 'lstm', inputSize: 2, hiddenSize: 4, projSize: 2, peephole: true },
];

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function chance(random: Random, p: number): boolean {
  return random() < p;
}

function hostileNumber(random: Random): unknown {
  return pick(random, [
    -1,
    1.5,
    2 ** 53,
    2 ** 31,
    1e300,
    Number.NaN,
    '4',
    null,
    [],
    {},
    -0,
    2 ** 32 - 1,
    Math.floor(random() * 1e9),
  ]);
}

function hostileName(random: Random): string {
  return pick(random, [
    '__proto__',
    'constructor',
    '',
    'x'.repeat(1 + Math.floor(random() * 200_000)),
    '\u0000',
    'weight_ih_l0\u200b',
    'a.b.c',
  ]);
}

interface Entry {
  name: string;
  dtype: unknown;
  shape: unknown;
  offsets: unknown;
  bytes: number;
}

/** One fuzz file for `config` (optionally under `prefix`): its bytes. */
export function fuzzSafetensorsFile(random: Random, config: RecurrentConfig, prefix = ''): Uint8Array {
  const shapes = Object.entries(weightShapes(config));
  const entries: Entry[] = [];
  let position = 0;
  for (const [name, shape] of shapes) {
    if (chance(random, 0.03)) continue; // a missing tensor
    const dtype = chance(random, 0.03) ? pick(random, BAD_DTYPES) : pick(random, DTYPES);
    let entryShape: unknown = [...shape];
    if (chance(random, 0.05)) entryShape = [...shape].reverse();
    if (chance(random, 0.04)) entryShape = [shape.reduce((a, b) => a * b, 1)];
    if (chance(random, 0.04)) {
      const s = [...shape] as unknown[];
      s[Math.floor(random() * s.length)] = hostileNumber(random);
      entryShape = s;
    }
    if (chance(random, 0.02)) entryShape = new Array(1 + Math.floor(random() * 100_000)).fill(1);
    if (chance(random, 0.02)) entryShape = pick(random, [null, 'shape', 7, { 0: 1 }]);
    const count = Array.isArray(entryShape)
      ? (entryShape as unknown[]).reduce<number>((a, b) => a * (typeof b === 'number' && b >= 0 ? b : 1), 1)
      : 1;
    const bytes = Math.min(count, 1 << 16) * (SIZES[dtype as string] ?? 4);
    let offsets: unknown = [position, position + bytes];
    if (chance(random, 0.04)) offsets = [position + 1, position + bytes + 1];
    if (chance(random, 0.03)) offsets = [position, position + bytes - 1];
    if (chance(random, 0.03)) offsets = [hostileNumber(random), hostileNumber(random)];
    if (chance(random, 0.02)) offsets = [position];
    entries.push({ name: `${prefix}${name}`, dtype, shape: entryShape, offsets, bytes });
    position += bytes;
  }
  if (chance(random, 0.05)) {
    entries.push({
      name: hostileName(random),
      dtype: 'F32',
      shape: [1],
      offsets: [position, position + 4],
      bytes: 4,
    });
    position += 4;
  }
  if (chance(random, 0.03) && entries.length > 0) entries.push({ ...entries[0] }); // overlap
  if (chance(random, 0.3)) shuffle(random, entries);

  const header: Record<string, unknown> = {};
  if (chance(random, 0.3)) header.__metadata__ = metadata(random);
  for (const e of entries) {
    const value = { dtype: e.dtype, shape: e.shape, data_offsets: e.offsets };
    Object.defineProperty(header, e.name, { value, enumerable: true, configurable: true, writable: true });
  }
  let text = JSON.stringify(header);
  if (chance(random, 0.03)) text = text.slice(0, Math.floor(random() * text.length));
  if (chance(random, 0.02)) text = `${text}${' '.repeat(Math.floor(random() * 64))}`;
  if (chance(random, 0.01)) text = '['.repeat(50_000);
  const json = new TextEncoder().encode(text);
  let dataLength = position;
  if (chance(random, 0.04)) dataLength += 1 + Math.floor(random() * 16);
  if (chance(random, 0.04)) dataLength = Math.max(0, dataLength - 1 - Math.floor(random() * 16));
  const out = new Uint8Array(8 + json.length + dataLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  if (chance(random, 0.03)) view.setUint32(0, Math.floor(random() * 2 ** 32), true);
  if (chance(random, 0.02)) view.setUint32(4, 1 + Math.floor(random() * 255), true);
  out.set(json, 8);
  fillData(random, out.subarray(8 + json.length));
  if (chance(random, 0.02)) return out.subarray(0, Math.floor(random() * out.length));
  return out;
}

function metadata(random: Random): unknown {
  return pick(random, [
    { format: 'pt' },
    { format: 3 },
    'pt',
    [],
    null,
    { [hostileName(random)]: 'x' },
    { __proto__: 'polluted' },
  ]);
}

function fillData(random: Random, data: Uint8Array): void {
  const special = chance(random, 0.2);
  for (let i = 0; i < data.length; i++) {
    data[i] =
      special && chance(random, 0.1)
        ? pick(random, [0xff, 0x7f, 0x80, 0x7c, 0x00])
        : Math.floor(random() * 256);
  }
}

function shuffle<T>(random: Random, items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}
