/** One backend a package provides: its create…Backend factory called with `options`, giving a
 * backend named `name` (a column of the conformance matrix, a row of the bench). */
export interface BackendDeclaration {
  readonly name: string;
  readonly options?: Readonly<Record<string, unknown>>;
}

const FIELD = 'gated.backends';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;

/** The backends a package declares in its package.json, e.g. backend-onnx:
 * `"gated": { "backends": [{ "name": "onnx" }, { "name": "onnx@node", "options": { "runtime":
 * "onnxruntime-node" } }] }`. Null when it declares none (its factory is then called once,
 * without options). A malformed declaration throws, naming the field. */
export function declaredBackends(manifest: unknown, label: string): BackendDeclaration[] | null {
  const gated = isRecord(manifest) ? manifest.gated : undefined;
  if (gated === undefined) return null;
  const where = `${label}: package.json`;
  if (!isRecord(gated)) throw new Error(`${where} gated: expected an object, received ${describe(gated)}`);
  const list = gated.backends;
  if (list === undefined) return null;
  if (!Array.isArray(list) || list.length === 0) {
    throw new Error(
      `${where} ${FIELD}: expected a non-empty array of { name, options? }, received ${Array.isArray(list) ? 'an empty array' : describe(list)}`,
    );
  }
  const names = new Set<string>();
  return list.map((entry: unknown, i) => {
    const at = `${where} ${FIELD}[${i}]`;
    if (!isRecord(entry))
      throw new Error(`${at}: expected an object { name, options? }, received ${describe(entry)}`);
    const { name, options } = entry;
    if (typeof name !== 'string' || name === '')
      throw new Error(
        `${at}.name: expected the backend's name (a non-empty string), received ${describe(name)}`,
      );
    if (names.has(name))
      throw new Error(`${at}.name: expected a name not declared before, received '${name}' again`);
    names.add(name);
    if (options !== undefined && !isRecord(options))
      throw new Error(
        `${at}.options: expected an object (the factory's options), received ${describe(options)}`,
      );
    return options === undefined ? { name } : { name, options };
  });
}
