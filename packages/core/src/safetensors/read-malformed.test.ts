import { describe, expect, it } from 'vitest';
import { isGatedError } from '../errors.js';
import { createRandom } from '../random.js';
import { readSafetensors } from './read.js';
import { buildSafetensors } from './test-files.js';
import { writeSafetensors } from './write.js';

const f32 = (shape: number[], begin: number, end: number) => ({
  dtype: 'F32',
  shape,
  data_offsets: [begin, end],
});

function expectInvalid(file: Uint8Array, message: RegExp) {
  expect(() => readSafetensors(file)).toThrow(
    expect.objectContaining({ code: 'INVALID_FILE', message: expect.stringMatching(message) }),
  );
}

describe('safetensors reader on malformed files', () => {
  it('rejects a file too short for the header length', () => {
    expectInvalid(new Uint8Array(5), /file: expected at least 8 bytes/);
  });

  it('rejects a header length beyond the file, beyond 2^32 or beyond 100 MB', () => {
    const file = writeSafetensors({ a: { data: Float32Array.of(1), shape: [1] } });
    const view = new DataView(file.buffer);
    const length = view.getUint32(0, true);
    view.setUint32(0, length + 5, true);
    expectInvalid(
      file,
      new RegExp(`header length: expected at most ${file.length - 8} bytes .*received ${length + 5}`),
    );
    view.setUint32(0, length, true);
    view.setUint32(4, 1, true);
    expectInvalid(file, /header length: .*received 4294967\d+/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setUint32(0, 200_000_000, true);
    expectInvalid(huge, /header length/);
  });

  it('rejects a header that is not UTF-8, not JSON or not an object', () => {
    const bad = new Uint8Array([2, 0, 0, 0, 0, 0, 0, 0, 0xc3, 0x28]);
    expectInvalid(bad, /header: expected valid UTF-8/);
    expectInvalid(buildSafetensors(null, undefined, '{"a": '), /header: expected valid JSON/);
    expectInvalid(buildSafetensors([1, 2]), /header: expected a JSON object, received \[1, 2\]/);
  });

  it('rejects metadata that is not a map of strings', () => {
    expectInvalid(
      buildSafetensors({ __metadata__: { format: 3 } }),
      /__metadata__.format: expected a string, received 3/,
    );
    expectInvalid(buildSafetensors({ __metadata__: 'pt' }), /__metadata__: expected an object of strings/);
  });

  it('rejects an entry that is not an object, with an unknown dtype, or a malformed shape', () => {
    expectInvalid(buildSafetensors({ w: 5 }), /tensor "w": expected an object/);
    expectInvalid(
      buildSafetensors({ w: { ...f32([1], 0, 4), dtype: 'I64' } }, new Uint8Array(4)),
      /tensor "w".dtype: expected one of F32, F16, BF16, F64, received "I64"/,
    );
    expectInvalid(
      buildSafetensors({ w: f32([-1], 0, 4) }, new Uint8Array(4)),
      /tensor "w".shape: expected an array of integers ≥ 0/,
    );
    expectInvalid(buildSafetensors({ w: f32([1.5], 0, 4) }, new Uint8Array(4)), /tensor "w".shape/);
    expectInvalid(
      buildSafetensors({ w: { ...f32([1], 0, 4), shape: '1' } }, new Uint8Array(4)),
      /tensor "w".shape/,
    );
  });

  it('rejects huge shapes before multiplying them out or allocating', () => {
    const huge = f32([2 ** 40, 2 ** 40, 2 ** 40, 0], 0, 0);
    expectInvalid(buildSafetensors({ w: huge }), /tensor "w".shape: expected at most 0 values/);
    expectInvalid(buildSafetensors({ w: f32([1e6, 1e6], 0, 8) }, new Uint8Array(8)), /tensor "w".shape/);
  });

  it('rejects offsets that are not two integers inside the data section', () => {
    const data = new Uint8Array(8);
    expectInvalid(
      buildSafetensors({ w: f32([2], 0, 12) }, data),
      /tensor "w".data_offsets: expected integers in \[0, 8\]/,
    );
    expectInvalid(
      buildSafetensors({ w: { ...f32([2], 0, 8), data_offsets: [0] } }, data),
      /data_offsets: expected \[begin, end\]/,
    );
    expectInvalid(buildSafetensors({ w: f32([0], 4, 0) }, data), /data_offsets: expected begin ≤ end/);
  });

  it('rejects a byte range that disagrees with shape and dtype', () => {
    expectInvalid(
      buildSafetensors({ w: f32([3], 0, 8) }, new Uint8Array(8)),
      /tensor "w".data_offsets: expected 12 bytes for F32 of shape \[3\], received 8 bytes/,
    );
  });

  it('rejects overlapping tensors, gaps and trailing bytes', () => {
    const data = new Uint8Array(12);
    expectInvalid(
      buildSafetensors({ a: f32([2], 0, 8), b: f32([2], 4, 12) }, data),
      /tensor "b".data_offsets: expected to begin at byte 8 \(it overlaps/,
    );
    expectInvalid(
      buildSafetensors({ a: f32([1], 0, 4), b: f32([1], 8, 12) }, data),
      /tensor "b".*leaves a gap/,
    );
    expectInvalid(
      buildSafetensors({ a: f32([2], 0, 8) }, data),
      /data section: expected 8 bytes .*received 12 bytes/,
    );
  });

  it('answers 2,000 random mutations and truncations of a valid file with data or INVALID_FILE only', () => {
    const valid = writeSafetensors(
      {
        weight_ih_l0: { data: Float32Array.from({ length: 24 }, (_, i) => i / 7), shape: [8, 3] },
        bias_ih_l0: { data: Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8), shape: [8] },
        empty: { data: new Float32Array(0), shape: [0] },
      },
      { format: 'pt' },
    );
    const random = createRandom(1234);
    const pick = (n: number) => Math.floor(random() * n);
    const outcomes = { ok: 0, invalid: 0 };
    for (let trial = 0; trial < 2000; trial++) {
      let file = valid.slice();
      const kind = pick(4);
      if (kind === 0) file = file.subarray(0, pick(file.length));
      const mutations = kind === 0 ? 0 : 1 + pick(4);
      for (let m = 0; m < mutations; m++) {
        // Bias mutations toward the 8-byte length and the header, where the parser works.
        const at =
          kind === 1 ? pick(8) : kind === 2 ? 8 + pick(Math.min(200, file.length - 8)) : pick(file.length);
        file[at] = kind === 3 ? file[at] ^ (1 << pick(8)) : pick(256);
      }
      try {
        const { tensors } = readSafetensors(file);
        for (const t of Object.values(tensors)) expect(t.data.length * 2).toBeLessThanOrEqual(file.length);
        outcomes.ok++;
      } catch (error) {
        if (!isGatedError(error, 'INVALID_FILE')) throw error;
        outcomes.invalid++;
      }
    }
    expect(outcomes.ok).toBeGreaterThan(50);
    expect(outcomes.invalid).toBeGreaterThan(500);
  });
});
