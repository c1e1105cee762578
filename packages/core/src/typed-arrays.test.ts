import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { bytesView, copyFloat32, typedArrayKind } from './typed-arrays.js';

/** A Float32Array whose `length` says more than it holds. */
class LyingFloat32Array extends Float32Array {
  override get length(): number {
    return 1_000_000;
  }
}

describe('reading caller typed arrays', () => {
  it('copies a subclass with a lying length by its true length', () => {
    const lying = new LyingFloat32Array([1, 2, 3]);
    expect(lying.length).toBe(1_000_000);
    const copy = copyFloat32(lying);
    expect(copy).not.toBe(lying);
    expect(copy?.constructor).toBe(Float32Array);
    expect(Array.from(copy ?? [])).toEqual([1, 2, 3]);
  });

  it('takes Float32Arrays from another realm and refuses look-alikes', () => {
    const foreign = runInNewContext('new Float32Array([4, 5])');
    expect(foreign instanceof Float32Array).toBe(false);
    expect(Array.from(copyFloat32(foreign) ?? [])).toEqual([4, 5]);
    const fake = { length: 2, 0: 1, 1: 2, [Symbol.toStringTag]: 'Float32Array' };
    expect(copyFloat32(fake)).toBeNull();
    expect(copyFloat32(new Proxy(new Float32Array(2), {}))).toBeNull();
    expect(copyFloat32(new Float64Array(2))).toBeNull();
    expect(typedArrayKind(new Uint8Array(1))).toBe('Uint8Array');
  });

  it('copies, so a later change of the source changes nothing', () => {
    const source = new Float32Array([1, 2]);
    const copy = copyFloat32(source);
    source[0] = Number.NaN;
    expect(copy?.[0]).toBe(1);
  });

  it('views the bytes of a Uint8Array of any realm, a Buffer, an ArrayBuffer and a DataView', () => {
    const bytes = new Uint8Array([9, 8, 7, 6]);
    const expected = [8, 7];
    expect(Array.from(bytesView(bytes.subarray(1, 3)) ?? [])).toEqual(expected);
    expect(Array.from(bytesView(new DataView(bytes.buffer, 1, 2)) ?? [])).toEqual(expected);
    expect(Array.from(bytesView(bytes.buffer.slice(1, 3)) ?? [])).toEqual(expected);
    expect(Array.from(bytesView(Buffer.from([8, 7])) ?? [])).toEqual(expected);
    expect(Array.from(bytesView(runInNewContext('new Uint8Array([8, 7])')) ?? [])).toEqual(expected);
    expect(Array.from(bytesView(runInNewContext('new Uint8Array([8, 7]).buffer')) ?? [])).toEqual(expected);
    expect(bytesView({ [Symbol.toStringTag]: 'ArrayBuffer', byteLength: 4 })).toBeNull();
    expect(bytesView({ [Symbol.toStringTag]: 'DataView' })).toBeNull();
    expect(bytesView('bytes')).toBeNull();
  });
});
