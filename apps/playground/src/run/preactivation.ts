/** Pre-activations recovered from post-activation values by inverting the activation, in f64:
 * σ⁻¹(y) = ln(y / (1 − y)), tanh⁻¹(y) = ½·ln((1 + y) / (1 − y)). Exact up to the f32 rounding
 * of y, which grows as y nears its limit; a saturated y (exactly 0 or 1, or ±1) gives ±Infinity,
 * which the curves pin to their edge. */
export function inverseSigmoid(y: number): number {
  if (y <= 0) return Number.NEGATIVE_INFINITY;
  if (y >= 1) return Number.POSITIVE_INFINITY;
  return Math.log(y / (1 - y));
}

export function inverseTanh(y: number): number {
  if (y <= -1) return Number.NEGATIVE_INFINITY;
  if (y >= 1) return Number.POSITIVE_INFINITY;
  return Math.atanh(y);
}

export type CurveName = 'sigmoid' | 'tanh';

export const sigmoid = (a: number): number => 1 / (1 + Math.exp(-a));

export function inverseOf(curve: CurveName): (y: number) => number {
  return curve === 'sigmoid' ? inverseSigmoid : inverseTanh;
}
