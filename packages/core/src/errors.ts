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
    super(message, options);
    this.name = 'GatedError';
    this.code = code;
  }
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
