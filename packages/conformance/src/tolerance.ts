/** How far an f32 result may be from the float64 reference: |a − ref| ≤ abs + rel·|ref|. */
export interface Tolerance {
  readonly abs: number;
  readonly rel: number;
  /** Why a backend needs this tolerance (shown in reports). */
  readonly reason: string;
}

/** The one tolerance policy: f32 arithmetic with sums of a few hundred products. */
export const DEFAULT_TOLERANCE: Tolerance = Object.freeze({
  abs: 1e-5,
  rel: 1e-4,
  reason: 'f32 arithmetic: rounding of products, sums and exp/tanh over up to a few hundred terms',
});

/** The one table of backends that need more than the default, each with its reason.
 * A backend not listed here uses DEFAULT_TOLERANCE; runConformance's `tolerance` option
 * overrides both (and should come with a reason). */
export const TOLERANCE_TABLE: Readonly<Record<string, Tolerance>> = Object.freeze({
  default: DEFAULT_TOLERANCE,
  // Each weight rounded to f16 (2⁻¹¹ relative) before f32 products: a pre-activation moves by up
  // to 4.9e-4·Σ|w·x|, about 1e-2 with |x| ≈ 50 before the activations squash it (worst catalogue
  // case on SwiftShader: 4.0e-3).
  'webgpu@f16': Object.freeze({
    abs: 1e-2,
    rel: 1e-2,
    reason: 'weights stored as f16 (2^-11 relative rounding each), f32 arithmetic',
  }),
});

export function toleranceFor(backendName: string, override?: Partial<Tolerance>): Tolerance {
  const base = Object.hasOwn(TOLERANCE_TABLE, backendName) ? TOLERANCE_TABLE[backendName] : DEFAULT_TOLERANCE;
  if (override === undefined) return base;
  return {
    abs: override.abs ?? base.abs,
    rel: override.rel ?? base.rel,
    reason: override.reason ?? `declared by the caller (default: ${base.reason})`,
  };
}

/** How far an f32 gradient may be from the float64 reference backward, per tensor:
 * |a − ref| ≤ abs·max(1, max|ref| over the tensor) + rel·|ref|. A gradient is a sum over T·B
 * terms carried back through T steps, so an element's f32 error follows the size of the terms
 * it sums (about the tensor's largest values), not its own value, which cancellation may make
 * tiny. */
export interface GradientTolerance {
  readonly abs: number;
  readonly rel: number;
  readonly reason: string;
}

/** The forward's tolerance with its absolute part scaled by the tensor's largest value. Measured
 * (README, Tolerance) over the gradient catalogue: backend-wasm's worst error is 4.5e-7 of that
 * scale, backend-ts's 1.4e-7 (a margin of 22×); the scaled error of f32 sums grows about like
 * 5e-8·√(T·B) (2.2e-6 on wasm at T·B = 1,600). */
export const DEFAULT_GRADIENT_TOLERANCE: GradientTolerance = Object.freeze({
  abs: 1e-5,
  rel: 1e-4,
  reason:
    "f32 backpropagation through time: sums over T·B steps and rows, so the absolute part scales with the tensor's largest value",
});

/** Backends that need a wider gradient tolerance than the default, each with its reason. */
export const GRADIENT_TOLERANCE_TABLE: Readonly<Record<string, GradientTolerance>> = Object.freeze({
  default: DEFAULT_GRADIENT_TOLERANCE,
});

export function gradientToleranceFor(
  backendName: string,
  override?: Partial<GradientTolerance>,
): GradientTolerance {
  const base = Object.hasOwn(GRADIENT_TOLERANCE_TABLE, backendName)
    ? GRADIENT_TOLERANCE_TABLE[backendName]
    : DEFAULT_GRADIENT_TOLERANCE;
  if (override === undefined) return base;
  return {
    abs: override.abs ?? base.abs,
    rel: override.rel ?? base.rel,
    reason: override.reason ?? `declared by the caller (default: ${base.reason})`,
  };
}

/** max(1, max |v|): the scale of a gradient tensor's absolute tolerance. */
export function gradientScale(expected: ArrayLike<number>): number {
  let scale = 1;
  for (let k = 0; k < expected.length; k++) {
    const v = Math.abs(expected[k]);
    if (v > scale) scale = v;
  }
  return scale;
}

/** The elementwise tolerance one gradient tensor is compared with. */
export function scaledTolerance(tolerance: GradientTolerance, expected: ArrayLike<number>): Tolerance {
  return { abs: tolerance.abs * gradientScale(expected), rel: tolerance.rel, reason: tolerance.reason };
}

export function formatGradientTolerance(tolerance: GradientTolerance): string {
  return `${tolerance.abs.toExponential()}·max(1, max|ref|) + ${tolerance.rel.toExponential()}·|ref|`;
}

export interface Comparison {
  readonly pass: boolean;
  /** max |a − ref|; Infinity when a value is not finite or the lengths differ */
  readonly maxAbsError: number;
  /** max distance in f32 units in the last place between a and fround(ref) */
  readonly maxUlp: number;
  /** Elements outside the tolerance. */
  readonly mismatches: number;
  /** Of `mismatches`: received values that are NaN (NaN is never within tolerance, not even
   * of an expected NaN). */
  readonly nan: number;
  /** The element furthest outside the tolerance (a non-finite one first), for messages. */
  readonly worst: { readonly index: number; readonly actual: number; readonly expected: number } | null;
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** Position of fround(v) on a line where adjacent f32 values are 1 apart (−0 = +0). */
function f32Ordinal(v: number): number {
  f32[0] = v;
  const bits = i32[0];
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

/** Number of f32 values between fround(a) and fround(b); Infinity if either is NaN. */
export function f32UlpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.POSITIVE_INFINITY;
  return Math.abs(f32Ordinal(a) - f32Ordinal(b));
}

/** Elementwise |actual − expected| ≤ abs + rel·|expected|. */
export function compareWithTolerance(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: Tolerance,
): Comparison {
  if (actual.length !== expected.length) {
    return {
      pass: false,
      maxAbsError: Number.POSITIVE_INFINITY,
      maxUlp: Number.POSITIVE_INFINITY,
      mismatches: Math.max(actual.length, expected.length),
      nan: 0,
      worst: null,
    };
  }
  let maxAbsError = 0;
  let maxUlp = 0;
  let mismatches = 0;
  let nan = 0;
  let worst: Comparison['worst'] = null;
  let worstExcess = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < actual.length; k++) {
    const a = actual[k];
    const e = expected[k];
    const finite = Number.isFinite(a) && !Number.isNaN(e);
    const error = finite ? Math.abs(a - e) : Number.POSITIVE_INFINITY;
    const excess = finite ? error - (tolerance.abs + tolerance.rel * Math.abs(e)) : Number.POSITIVE_INFINITY;
    if (error > maxAbsError) maxAbsError = error;
    const ulp = f32UlpDistance(a, e);
    if (ulp > maxUlp) maxUlp = ulp;
    if (!(excess <= 0)) {
      mismatches++;
      if (Number.isNaN(a)) nan++;
      if (excess > worstExcess || worst === null) {
        worstExcess = excess;
        worst = { index: k, actual: a, expected: e };
      }
    }
  }
  return { pass: mismatches === 0, maxAbsError, maxUlp, mismatches, nan, worst };
}

/** max |a − b| over two arrays of the same length (Infinity if they differ or hold non-finite values). */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let k = 0; k < a.length; k++) {
    const d = Math.abs(a[k] - b[k]);
    if (!(d <= max)) max = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return max;
}

export function formatTolerance(tolerance: Tolerance): string {
  return `${tolerance.abs.toExponential()} + ${tolerance.rel.toExponential()}·|ref|`;
}
