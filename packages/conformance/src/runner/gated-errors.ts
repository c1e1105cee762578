import type { GatedErrorCode } from '@gated/core';
import type { CheckStatus } from './report.js';

/** A GatedError by shape, not by instanceof: a third-party backend may bundle its own copy
 * of @gated/core. */
export function isGatedErrorLike(
  error: unknown,
  code?: GatedErrorCode,
): error is Error & { code: GatedErrorCode } {
  return (
    error instanceof Error &&
    error.name === 'GatedError' &&
    typeof (error as { code?: unknown }).code === 'string' &&
    (code === undefined || (error as { code?: unknown }).code === code)
  );
}

export function describeError(error: unknown): string {
  if (isGatedErrorLike(error)) return `GatedError ${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

export interface Outcome {
  readonly status: CheckStatus;
  readonly message?: string;
}

/** Runs `action` (sync or async) and expects a GatedError `code` whose message names `argument`. */
export async function expectGatedError(
  code: GatedErrorCode,
  argument: string,
  action: () => unknown,
): Promise<Outcome> {
  try {
    await action();
  } catch (error) {
    if (!isGatedErrorLike(error, code))
      return { status: 'fail', message: `expected GatedError ${code}, received ${describeError(error)}` };
    if (!error.message.includes(argument)) {
      return {
        status: 'fail',
        message: `expected the ${code} message to name '${argument}', received "${error.message}"`,
      };
    }
    return { status: 'pass' };
  }
  return {
    status: 'fail',
    message: `expected GatedError ${code}${argument === '' ? '' : ` naming '${argument}'`}, but the call succeeded`,
  };
}

/** What a thrown error means for a check: UNSUPPORTED is a result of its own, anything else
 * unexpected is an error. */
export function outcomeOfThrow(error: unknown, during: string): Outcome {
  if (isGatedErrorLike(error, 'UNSUPPORTED'))
    return { status: 'unsupported', message: `${during}: ${error.message}` };
  return { status: 'error', message: `${during} threw ${describeError(error)}` };
}
