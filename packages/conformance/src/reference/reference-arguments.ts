import { GatedError, type NormalizedConfig, numDirections, outputSize } from '@gated/core';
import type { ReferenceOptions } from './reference-forward.js';

/** The arguments referenceForward and referenceBackward share, checked and in float64. */
export interface ReferenceArguments {
  readonly steps: number;
  readonly batch: number;
  /** x as [T, B, I], time-major whatever batchFirst says */
  readonly input: Float64Array;
  /** [L·D, B, Hout], zeros when not given */
  readonly h0: Float64Array;
  /** [L·D, B, H], zeros when not given (also for a GRU or RNN, which never reads it) */
  readonly c0: Float64Array;
  readonly seqLens: ArrayLike<number> | null;
}

export function invalid(message: string): never {
  throw new GatedError('INVALID_INPUT', message);
}

/** `values` as float64 after checking it holds `size` values. */
function checkLength(values: ArrayLike<number>, size: number, argument: string): Float64Array {
  if (values.length !== size) invalid(`${argument}: expected ${size} values, received ${values.length}`);
  return Float64Array.from(values);
}

/** An optional argument as float64 (checkLength), zeros when not given. */
export function float64(values: ArrayLike<number> | undefined, size: number, argument: string): Float64Array {
  return values === undefined ? new Float64Array(size) : checkLength(values, size, argument);
}

/** [A, B, C] → [B, A, C] */
export function swapLeading(data: Float64Array, a: number, b: number, c: number): Float64Array {
  const out = new Float64Array(data.length);
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) out.set(data.subarray((i * b + j) * c, (i * b + j + 1) * c), (j * a + i) * c);
  }
  return out;
}

/** Checks x, h0, c0 and seqLens against the config (INVALID_INPUT naming the argument). */
export function referenceArguments(
  cfg: NormalizedConfig,
  x: { data: ArrayLike<number>; shape: readonly number[] },
  options: ReferenceOptions,
): ReferenceArguments {
  const I = cfg.inputSize;
  const states = cfg.numLayers * numDirections(cfg);
  if (x.shape.length !== 3 || x.shape[2] !== I) {
    invalid(
      `x: expected shape ${cfg.batchFirst ? '[B, T, I]' : '[T, B, I]'} with I = ${I}, received [${x.shape.join(', ')}]`,
    );
  }
  const [T, B] = cfg.batchFirst ? [x.shape[1], x.shape[0]] : [x.shape[0], x.shape[1]];
  const xData = checkLength(x.data, T * B * I, 'x.data');
  const h0 = float64(options.h0, states * B * outputSize(cfg), 'options.h0');
  if (options.c0 !== undefined && cfg.cell !== 'lstm')
    invalid(`options.c0: expected nothing for a ${cfg.cell.toUpperCase()}, received values`);
  const c0 = float64(options.c0, states * B * cfg.hiddenSize, 'options.c0');
  const seqLens = options.seqLens ?? null;
  if (seqLens !== null) {
    if (seqLens.length !== B) invalid(`options.seqLens: expected ${B} lengths, received ${seqLens.length}`);
    for (let b = 0; b < B; b++) {
      const L = seqLens[b];
      if (!Number.isInteger(L) || L < 0 || L > T)
        invalid(`options.seqLens[${b}]: expected an integer in [0, ${T}], received ${L}`);
    }
  }
  const input = cfg.batchFirst ? swapLeading(xData, B, T, I) : xData;
  return { steps: T, batch: B, input, h0, c0, seqLens };
}
