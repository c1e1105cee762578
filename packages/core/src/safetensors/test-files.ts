/** Builds a safetensors file from a header object and raw data bytes, for tests that need
 * files the writer would never produce. */
export function buildSafetensors(
  header: unknown,
  data: Uint8Array = new Uint8Array(0),
  headerText?: string,
): Uint8Array {
  const json = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** Little-endian bytes of 16-bit values. */
export function uint16Bytes(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(2 * values.length);
  values.forEach((v, i) => {
    out[2 * i] = v & 0xff;
    out[2 * i + 1] = v >>> 8;
  });
  return out;
}

export function float64Bytes(values: readonly number[]): Uint8Array {
  const view = new DataView(new ArrayBuffer(8 * values.length));
  values.forEach((v, i) => {
    view.setFloat64(8 * i, v, true);
  });
  return new Uint8Array(view.buffer);
}
