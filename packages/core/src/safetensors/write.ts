import { describeValue, GatedError } from '../errors.js';
import { formatShape, shapeSize, type Tensor } from '../tensor.js';

/** Header bytes are padded with spaces to a multiple of this, so that the data section of a
 * file starting at an aligned address is aligned too (the reference writer does the same). */
const HEADER_ALIGNMENT = 8;

/** Serializes tensors as F32 safetensors, in the iteration order of `tensors`. */
export function writeSafetensors(
  tensors: Readonly<Record<string, Tensor>>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') {
        throw new GatedError(
          'INVALID_INPUT',
          `metadata.${key}: expected a string, received ${describeValue(value)}`,
        );
      }
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  const entries = Object.entries(tensors);
  for (const [name, tensor] of entries) {
    if (name === '__metadata__') {
      throw new GatedError(
        'INVALID_INPUT',
        `tensors.${name}: expected a tensor name other than __metadata__, received it`,
      );
    }
    if (!(tensor?.data instanceof Float32Array) || tensor.data.length !== shapeSize(tensor.shape ?? [NaN])) {
      throw new GatedError(
        'INVALID_INPUT',
        `tensors.${name}: expected { data: Float32Array, shape } that agree, received ${describeValue(tensor?.data)} with shape ${formatShape(tensor?.shape ?? [])}`,
      );
    }
    const end = offset + 4 * tensor.data.length;
    Object.defineProperty(header, name, {
      value: { dtype: 'F32', shape: [...tensor.shape], data_offsets: [offset, end] },
      enumerable: true,
    });
    offset = end;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / HEADER_ALIGNMENT) * HEADER_ALIGNMENT;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let position = 8 + headerLength;
  for (const [, tensor] of entries) {
    for (let i = 0; i < tensor.data.length; i++, position += 4)
      view.setFloat32(position, tensor.data[i], true);
  }
  return out;
}
