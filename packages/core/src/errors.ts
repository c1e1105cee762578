/** Every failure gated reports on purpose carries one of these codes. */
export type GatedErrorCode =
  | 'INVALID_CONFIG'
  | 'INVALID_WEIGHTS'
  | 'INVALID_INPUT'
  | 'INVALID_FILE'
  | 'UNSUPPORTED'
  | 'BACKEND_UNAVAILABLE'
  | 'DISPOSED';

/** The one error type of gated: a code to branch on and a message that names the argument,
 * the expected and the received value. */
export class GatedError extends Error {
  readonly code: GatedErrorCode;

  constructor(code: GatedErrorCode, message: string, options?: { cause?: unknown }) {
    super(boundMessage(message), options);
    this.name = 'GatedError';
    this.code = code;
  }
}

/** Longest message a GatedError carries; longer ones (which can only come from quoting
 * untrusted content) are cut, so an error is always cheap to log. */
export const MAX_MESSAGE_LENGTH = 1000;

function boundMessage(message: string): string {
  const text = String(message);
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text;
}

/** Untrusted text (a file's tensor name, an unknown key) as a short JSON string: at most
 * `max` characters of it are quoted, the rest is elided. */
export function quote(text: unknown, max = 40): string {
  const s = String(text);
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}

/** `object.key` for an identifier-like key, else `object["key…"]` with the key quoted and
 * bounded: for naming a field whose name came from the caller or a file. */
export function fieldPath(object: string, key: string): string {
  return /^[A-Za-z_$][\w$]{0,63}$/.test(key) ? `${object}.${key}` : `${object}[${quote(key)}]`;
}

/** A failure of an underlying runtime (onnxruntime, WebGPU, tfjs) as a GatedError: `code`,
 * what was being done, and the runtime's own reason (first line, without file paths, bounded). */
export function runtimeError(code: GatedErrorCode, what: string, error: unknown): GatedError {
  if (error instanceof GatedError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const firstLine = raw.split('\n').find((line) => line.trim() !== '') ?? 'no reason given';
  const reason = firstLine
    .replace(/(?:[A-Za-z]:)?(?:[\\/][\w.@+-]+){2,}[\\/]?(?::\d+)*/g, '…')
    .trim()
    .slice(0, 300);
  return new GatedError(code, `${what}: ${reason}`, { cause: error });
}

export function isGatedError(value: unknown, code?: GatedErrorCode): value is GatedError {
  return value instanceof GatedError && (code === undefined || value.code === code);
}

/** Short, bounded rendering of a received value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (Array.isArray(value)) {
    if (value.length <= 8 && value.every((v) => typeof v === 'number')) return `[${value.join(', ')}]`;
    return `array(${value.length})`;
  }
  if (typeof value === 'function') return 'function';
  return 'object';
}
