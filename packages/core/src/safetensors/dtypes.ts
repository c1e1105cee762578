/** The safetensors dtypes gated reads, all converted to f32, with their size in bytes. */
export const SAFETENSORS_DTYPES = { F32: 4, F16: 2, BF16: 2, F64: 8 } as const;

export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPES;

export function isSafetensorsDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && Object.hasOwn(SAFETENSORS_DTYPES, value);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** IEEE 754 binary16 bits → number (exact: every f16 is an f32). */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Decodes `count` little-endian values of `dtype` starting at `offset` into a new Float32Array.
 * The caller has checked that offset + count · size lies inside `bytes`. */
export function decodeToFloat32(
  bytes: Uint8Array,
  offset: number,
  count: number,
  dtype: SafetensorsDtype,
): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * SAFETENSORS_DTYPES[dtype]);
  const out = new Float32Array(count);
  switch (dtype) {
    case 'F32':
      if (LITTLE_ENDIAN) {
        new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + 4 * count));
        break;
      }
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
      break;
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
      break;
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToNumber(view.getUint16(2 * i, true));
      break;
    case 'BF16': {
      // bf16 is the upper half of an f32: widen the bits, then reinterpret.
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      break;
    }
  }
  return out;
}
