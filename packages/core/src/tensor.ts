import { describeValue, GatedError } from './errors.js';

export interface Tensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Builds a tensor, checking that data and shape agree. Number arrays are copied to f32. */
export function tensor(
  data: Float32Array | readonly number[],
  shape: readonly number[],
  argument = 'tensor',
): Tensor {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new GatedError(
      'INVALID_INPUT',
      `${argument}.shape: expected an array of integers ≥ 0, received ${describeValue(shape)}`,
    );
  }
  const array = data instanceof Float32Array ? data : Array.isArray(data) ? Float32Array.from(data) : null;
  if (array === null) {
    throw new GatedError(
      'INVALID_INPUT',
      `${argument}.data: expected a Float32Array or number[], received ${describeValue(data)}`,
    );
  }
  const size = shapeSize(shape);
  if (array.length !== size) {
    throw new GatedError(
      'INVALID_INPUT',
      `${argument}: shape [${shape.join(', ')}] needs ${size} values, received ${array.length}`,
    );
  }
  return { data: array, shape: [...shape] };
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
