import { describe, expect, it } from 'vitest';
import { readSafetensors } from './read.js';
import { buildSafetensors, float64Bytes, uint16Bytes } from './test-files.js';
import { writeSafetensors } from './write.js';

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe('safetensors read and write', () => {
  it('round-trips F32 tensors, shapes and metadata bit-identically', () => {
    const weight = { data: Float32Array.of(1.5, -0, Number.MIN_VALUE, 3.4e38, -1e-30, 0.1), shape: [2, 3] };
    const empty = { data: new Float32Array(0), shape: [0, 4] };
    const scalar = { data: Float32Array.of(7), shape: [] };
    const file = writeSafetensors({ weight_ih_l0: weight, empty, scalar }, { format: 'pt' });
    const back = readSafetensors(file);
    expect(back.metadata).toEqual({ format: 'pt' });
    expect(Object.keys(back.tensors)).toEqual(['weight_ih_l0', 'empty', 'scalar']);
    expect(back.tensors.weight_ih_l0.shape).toEqual([2, 3]);
    expect(back.tensors.weight_ih_l0.dtype).toBe('F32');
    expect(bits(back.tensors.weight_ih_l0.data)).toEqual(bits(weight.data));
    expect(back.tensors.empty).toEqual({ dtype: 'F32', shape: [0, 4], data: new Float32Array(0) });
    expect(Array.from(back.tensors.scalar.data)).toEqual([7]);
  });

  it('pads the header with spaces to a multiple of 8 bytes', () => {
    const file = writeSafetensors({ a: { data: Float32Array.of(1), shape: [1] } });
    const headerLength = new DataView(file.buffer).getUint32(0, true);
    expect(headerLength % 8).toBe(0);
    expect(file.length).toBe(8 + headerLength + 4);
    expect(file[8 + headerLength - 1]).toBe(0x20);
  });

  it('reads a file that is a view into a larger buffer at an odd offset', () => {
    const file = writeSafetensors({ a: { data: Float32Array.of(1, 2, 3), shape: [3] } });
    const bigger = new Uint8Array(file.length + 3);
    bigger.set(file, 3);
    expect(Array.from(readSafetensors(bigger.subarray(3)).tensors.a.data)).toEqual([1, 2, 3]);
  });

  it('widens F16 values exactly, including subnormals, infinities and NaN', () => {
    const half = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x8400, 0x7c00, 0xfc00, 0x7e00, 0x3555];
    const file = buildSafetensors(
      { h: { dtype: 'F16', shape: [9], data_offsets: [0, 18] } },
      uint16Bytes(half),
    );
    expect(Array.from(readSafetensors(file).tensors.h.data)).toEqual([
      1,
      -2,
      65504,
      2 ** -24,
      -(2 ** -14),
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
      0.333251953125,
    ]);
  });

  it('widens BF16 values to the f32 with the same upper bits', () => {
    const file = buildSafetensors(
      { b: { dtype: 'BF16', shape: [2, 2], data_offsets: [0, 8] } },
      uint16Bytes([0x3f80, 0xc040, 0x0001, 0xff80]),
    );
    const { data, shape, dtype } = readSafetensors(file).tensors.b;
    expect(dtype).toBe('BF16');
    expect(shape).toEqual([2, 2]);
    expect(Array.from(data)).toEqual([1, -3, 2 ** -133, Number.NEGATIVE_INFINITY]);
  });

  it('rounds F64 values to the nearest f32', () => {
    const file = buildSafetensors(
      { d: { dtype: 'F64', shape: [3], data_offsets: [0, 24] } },
      float64Bytes([0.1, -1e300, 1 + 2 ** -30]),
    );
    expect(Array.from(readSafetensors(file).tensors.d.data)).toEqual([
      Math.fround(0.1),
      Number.NEGATIVE_INFINITY,
      1,
    ]);
  });

  it('reads tensors stored out of header order and mixed dtypes', () => {
    const data = new Uint8Array([...float64Bytes([2.5]), ...uint16Bytes([0x3c00])]);
    const file = buildSafetensors(
      {
        late: { dtype: 'F16', shape: [1], data_offsets: [8, 10] },
        early: { dtype: 'F64', shape: [], data_offsets: [0, 8] },
      },
      data,
    );
    const { tensors } = readSafetensors(file);
    expect([tensors.late.data[0], tensors.early.data[0]]).toEqual([1, 2.5]);
  });

  it('keeps a tensor named __proto__ as data, not as a prototype', () => {
    const file = buildSafetensors(
      { ['__proto__']: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } },
      new Uint8Array(4),
      '{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
    );
    const { tensors } = readSafetensors(file);
    expect(Object.keys(tensors)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
  });
});
