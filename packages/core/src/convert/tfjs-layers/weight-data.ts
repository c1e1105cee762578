import { describeValue, GatedError, quote } from '../../errors.js';

/** One entry of a tfjs weights manifest (`weightsManifest[].weights[]`, or an artifacts'
 * `weightSpecs`). */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantization?: { readonly dtype: string; readonly scale?: number; readonly min?: number };
}

/** Weight bytes as tfjs hands them out: one buffer, shards in manifest order, or a view. */
export type WeightData = ArrayBuffer | readonly ArrayBuffer[] | ArrayBufferView;

function invalid(message: string): never {
  throw new GatedError('INVALID_FILE', message);
}

const BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

function asBytes(data: WeightData): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (Array.isArray(data) && data.every((part) => part instanceof ArrayBuffer)) {
    const total = data.reduce((n, part) => n + part.byteLength, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const part of data) {
      out.set(new Uint8Array(part), at);
      at += part.byteLength;
    }
    return out;
  }
  return invalid(
    `weightData: expected an ArrayBuffer, an array of them or a typed array, received ${describeValue(data)}`,
  );
}

/** The float32 values of every float weight, by manifest name, read from the concatenated
 * weight data (quantized uint8 / uint16 / float16 weights dequantized). Other dtypes are
 * skipped over. Every size and offset is checked before it is read. */
export function decodeWeights(specs: readonly WeightSpec[], data: WeightData): Map<string, Float32Array> {
  const bytes = asBytes(data);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<string, Float32Array>();
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((n, d) => n * d, 1);
    const label = `weight ${quote(spec.name, 120)}`;
    if (spec.dtype === 'string') {
      for (let k = 0; k < count; k++) {
        if (offset + 4 > bytes.length) invalid(`weightData: ${label} runs past the end of the weight data`);
        offset += 4 + view.getUint32(offset, true);
      }
      continue;
    }
    const stored = spec.quantization?.dtype ?? spec.dtype;
    const size = BYTES[stored];
    if (size === undefined)
      invalid(`weightsManifest: ${label} has dtype ${describeValue(stored)}, which gated cannot read`);
    const end = offset + count * size;
    if (end > bytes.length) {
      invalid(`weightData: ${label} needs bytes [${offset}, ${end}), received ${bytes.length} bytes in all`);
    }
    if (spec.dtype === 'float32')
      out.set(spec.name, readFloats(view, offset, count, stored, spec.quantization));
    offset = end;
  }
  if (offset !== bytes.length) {
    invalid(`weightData: expected ${offset} bytes for the manifest's weights, received ${bytes.length}`);
  }
  return out;
}

function readFloats(
  view: DataView,
  offset: number,
  count: number,
  stored: string,
  quantization: WeightSpec['quantization'],
): Float32Array {
  const out = new Float32Array(count);
  const scale = quantization?.scale ?? 1;
  const min = quantization?.min ?? 0;
  for (let k = 0; k < count; k++) {
    if (stored === 'float32') out[k] = view.getFloat32(offset + 4 * k, true);
    else if (stored === 'float16') out[k] = halfToFloat(view.getUint16(offset + 2 * k, true));
    else if (stored === 'uint8') out[k] = view.getUint8(offset + k) * scale + min;
    else out[k] = view.getUint16(offset + 2 * k, true) * scale + min;
  }
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
