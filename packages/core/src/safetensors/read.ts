import { describeValue, fieldPath, GatedError, quote } from '../errors.js';
import { bytesView } from '../typed-arrays.js';
import { decodeToFloat32, isSafetensorsDtype, SAFETENSORS_DTYPES, type SafetensorsDtype } from './dtypes.js';

/** A tensor read from a safetensors file: its stored dtype and shape, values widened or
 * narrowed to f32. */
export interface SafetensorsTensor {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export interface SafetensorsFile {
  readonly tensors: Readonly<Record<string, SafetensorsTensor>>;
  /** The optional `__metadata__` string map ({} when absent). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** Headers beyond this are refused before they are decoded (the reference implementation
 * uses the same bound). */
export const MAX_HEADER_BYTES = 100_000_000;

function invalidText(field: string, expected: string, received: string): never {
  throw new GatedError('INVALID_FILE', `safetensors ${field}: expected ${expected}, received ${received}`);
}

function invalid(field: string, expected: string, received: unknown): never {
  invalidText(field, expected, describeValue(received));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseHeader(bytes: Uint8Array): { header: Record<string, unknown>; dataStart: number } {
  if (bytes.length < 8) invalidText('file', 'at least 8 bytes (header length)', `${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const available = bytes.length - 8;
  if (high !== 0 || low > MAX_HEADER_BYTES || low > available) {
    const length = high * 2 ** 32 + low;
    invalid(
      'header length',
      `at most ${Math.min(available, MAX_HEADER_BYTES)} bytes (the rest of the file)`,
      length,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + low));
  } catch {
    invalidText('header', 'valid UTF-8', `${low} bytes that are not`);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    invalidText('header', 'valid JSON', quote((error as Error).message, 120));
  }
  if (!isPlainObject(header)) invalid('header', 'a JSON object', header);
  return { header, dataStart: 8 + low };
}

function parseMetadata(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) invalid('__metadata__', 'an object of strings', value);
  const metadata: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') invalid(fieldPath('__metadata__', key), 'a string', entry);
    Object.defineProperty(metadata, key, {
      value: entry,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return metadata;
}

interface TensorEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  count: number;
  begin: number;
  end: number;
}

function parseEntry(name: string, value: unknown, dataLength: number): TensorEntry {
  const field = `tensor ${quote(name)}`;
  if (!isPlainObject(value)) invalid(field, 'an object { dtype, shape, data_offsets }', value);
  const { dtype, shape, data_offsets: offsets } = value;
  if (!isSafetensorsDtype(dtype))
    invalid(`${field}.dtype`, `one of ${Object.keys(SAFETENSORS_DTYPES).join(', ')}`, dtype);
  if (!Array.isArray(shape)) invalid(`${field}.shape`, 'an array of integers ≥ 0', shape);
  let count = 1;
  for (const dim of shape) {
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0)
      invalid(`${field}.shape`, 'an array of integers ≥ 0', shape);
    count *= dim;
    // Checked per factor so that the product can never overflow to a plausible size.
    if (count > dataLength)
      invalid(`${field}.shape`, `at most ${dataLength} values (the data section)`, shape);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2)
    invalid(`${field}.data_offsets`, '[begin, end]', offsets);
  const [begin, end] = offsets;
  for (const offset of [begin, end]) {
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0 || offset > dataLength) {
      invalid(`${field}.data_offsets`, `integers in [0, ${dataLength}] (the data section)`, offsets);
    }
  }
  if (end < begin) invalid(`${field}.data_offsets`, 'begin ≤ end', offsets);
  const bytes = count * SAFETENSORS_DTYPES[dtype];
  if (end - begin !== bytes) {
    invalidText(
      `${field}.data_offsets`,
      `${bytes} bytes for ${dtype} of shape [${shape.join(', ')}]`,
      `${end - begin} bytes`,
    );
  }
  return { name, dtype, shape: shape as number[], count, begin, end };
}

/** Checks that the tensors tile the data section exactly: sorted by offset, each begins where
 * the previous ends, and the last ends at the end of the file (as the reference reader does). */
function checkLayout(entries: TensorEntry[], dataLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let position = 0;
  for (const entry of sorted) {
    if (entry.begin !== position) {
      const problem = entry.begin < position ? 'overlaps the previous tensor' : 'leaves a gap before it';
      invalid(
        `tensor ${quote(entry.name)}.data_offsets`,
        `to begin at byte ${position} (it ${problem})`,
        entry.begin,
      );
    }
    position = entry.end;
  }
  if (position !== dataLength)
    invalidText('data section', `${position} bytes (the end of the last tensor)`, `${dataLength} bytes`);
}

/** Parses a safetensors file. The input is untrusted: every length, offset and shape is
 * checked before anything is read or allocated, and any inconsistency is an INVALID_FILE
 * error naming the field. F32, F16, BF16 and F64 tensors are returned as f32. */
export function readSafetensors(file: Uint8Array | ArrayBuffer | ArrayBufferView): SafetensorsFile {
  // Any realm's Uint8Array, a Buffer, an ArrayBuffer or a DataView: all the same bytes.
  const bytes = bytesView(file);
  if (bytes === null) invalid('file', 'a Uint8Array, ArrayBuffer or DataView', file);
  const { header, dataStart } = parseHeader(bytes);
  const dataLength = bytes.length - dataStart;
  const metadata = parseMetadata(header.__metadata__);
  const entries: TensorEntry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name !== '__metadata__') entries.push(parseEntry(name, value, dataLength));
  }
  checkLayout(entries, dataLength);
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const entry of entries) {
    const tensor = {
      dtype: entry.dtype,
      shape: entry.shape,
      data: decodeToFloat32(bytes, dataStart + entry.begin, entry.count, entry.dtype),
    };
    // defineProperty: a tensor named "__proto__" must stay data, not become the prototype.
    Object.defineProperty(tensors, entry.name, {
      value: tensor,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { tensors, metadata };
}
