/** An f32 WGSL literal of `value` (rounded to f32 first; 9 significant digits round-trip it). */
export function f32Literal(value: number): string {
  const v = Math.fround(value);
  if (!Number.isFinite(v)) throw new RangeError(`f32Literal: expected a finite f32, received ${value}`);
  const text = `${Math.abs(v).toPrecision(9)}f`;
  return v < 0 || Object.is(v, -0) ? `(-${text})` : text;
}

export function u32Literal(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`u32Literal: expected an integer in [0, 2^32), received ${value}`);
  }
  return `${value}u`;
}

/** The largest finite f32, as a WGSL constant: activations that must saturate at ±Infinity
 * clamp to it first (WGSL only promises finite arithmetic). */
export const F32_MAX_DECLARATION = 'const F32_MAX: f32 = 0x1.fffffep+127f;';
