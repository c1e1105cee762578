import { GatedError } from '../errors.js';
import type { Kernels } from '../kernels.js';

/** Most f32 values one buffer of a request may hold (4 GiB), and all of them together (8 GiB),
 * whatever the backend: beyond this a request is refused before anything is allocated, with
 * a message saying how to split it. Backends refuse smaller requests in `reserve`. */
export const MAX_BUFFER_LENGTH = 2 ** 30;
export const MAX_REQUEST_LENGTH = 2 ** 31;

export function reserveRequest<B, L>(kernels: Kernels<B, L>, lengths: readonly number[]): void {
  let total = 0;
  for (const length of lengths) {
    total += length;
    if (length > MAX_BUFFER_LENGTH || total > MAX_REQUEST_LENGTH) {
      throw new GatedError(
        'INVALID_INPUT',
        `x: expected a request of at most ${MAX_BUFFER_LENGTH} f32 values per buffer and ${MAX_REQUEST_LENGTH} in all, received one needing a buffer of ${Math.max(...lengths)} and ${lengths.reduce((a, b) => a + b, 0)} in all (split the batch or the sequence)`,
      );
    }
  }
  kernels.reserve?.(lengths);
}
