// Vectorised f32 transcendental functions, the ONNX activation set and its derivatives.
// exp follows Cephes expf (range reduction by ln 2, degree-6 polynomial, ≤ 2 ulp); inputs are
// clamped first so that 2^n is a normal f32 or +Inf, never a wrapped exponent.
//
// Pre-activations beyond the f32 range arrive as ±Inf (the sums overflowed) and saturate as the
// float64 reference does for the finite value: sigmoid → 1 / 0 exactly, tanh → ±1, softsign → ±1,
// hardSigmoid → 1 / 0, scaledTanh → ±α, elu(−Inf) → −α, relu(−Inf) → 0; the unbounded ones
// (relu, leakyRelu, thresholdedRelu, affine, elu, softplus at +Inf) give ±Inf. No formula here
// may form Inf/Inf or Inf − Inf for an infinite input (src/activation-limits.test.ts).

// Constants live in a static 16-byte-aligned table, one f32x4 each, read with one v128.load:
// V8 materialises every v128.const splat with several instructions, inside the loop, each
// time (a table load measured ~30% faster for expV).
const TABLE = memory.data<f32>([
  -87.0, -87.0, -87.0, -87.0,
  88.5, 88.5, 88.5, 88.5, // n = 128 above 88.38: 2^n's exponent field is all ones, +Inf
  1.44269504088896341, 1.44269504088896341, 1.44269504088896341, 1.44269504088896341, // log2 e
  12582912.0, 12582912.0, 12582912.0, 12582912.0, // 1.5·2^23, the rounding shift
  0.693359375, 0.693359375, 0.693359375, 0.693359375, // ln 2, high part
  -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, // ln 2, low part
  1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4,
  1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3,
  8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3,
  4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2,
  1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1,
  5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1,
  1.0, 1.0, 1.0, 1.0,
  2.0, 2.0, 2.0, 2.0,
  0.625, 0.625, 0.625, 0.625,
  -5.70498872745e-3, -5.70498872745e-3, -5.70498872745e-3, -5.70498872745e-3,
  2.06390887954e-2, 2.06390887954e-2, 2.06390887954e-2, 2.06390887954e-2,
  -5.37397155531e-2, -5.37397155531e-2, -5.37397155531e-2, -5.37397155531e-2,
  1.33314422036e-1, 1.33314422036e-1, 1.33314422036e-1, 1.33314422036e-1,
  -3.33332819422e-1, -3.33332819422e-1, -3.33332819422e-1, -3.33332819422e-1,
  -0.0, -0.0, -0.0, -0.0, // the sign mask 0x80000000
], 16);
const EXP_MIN = 0, EXP_MAX = 1, LOG2E = 2, SHIFT = 3, LN2_HI = 4, LN2_LO = 5, EXP_P0 = 6;
const ONE = 12, TWO = 13, TANH_SPLIT = 14, TANH_P0 = 15, SIGN = 20;

@inline function k(index: i32): v128 {
  return v128.load(TABLE + (<usize>index << 4));
}

/** 1.0 in every lane, from the table (see above). */
@inline export function onesV(): v128 {
  return k(ONE);
}

/** e^x per lane. n = round(x·log2 e) comes from adding 1.5·2^23 (the sum's low mantissa bits
 * are n), which is cheaper than floor + trunc_sat on x86. x is clamped to [-87, 88.5]: below,
 * 2^n stays a normal f32; above 88.38, n = 128 and 2^n is +Inf (e^x overflows from 88.72, so
 * only [88.38, 88.72] is early). e^(+large) = +Inf is what makes 1/(1 + e^−x) exactly 0 at
 * −Inf and keeps 2/(e^2x + 1) at 0; a clamp at 88 gave sigmoid(−Inf) = 6e−39. */
@inline export function expV(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, k(EXP_MIN)), k(EXP_MAX));
  const shifted = f32x4.add(f32x4.mul(x, k(LOG2E)), k(SHIFT));
  const fx = f32x4.sub(shifted, k(SHIFT));
  let r = f32x4.sub(x, f32x4.mul(fx, k(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(fx, k(LN2_LO)));
  const z = f32x4.mul(r, r);
  let y = f32x4.add(f32x4.mul(k(EXP_P0), r), k(EXP_P0 + 1));
  y = f32x4.add(f32x4.mul(y, r), k(EXP_P0 + 2));
  y = f32x4.add(f32x4.mul(y, r), k(EXP_P0 + 3));
  y = f32x4.add(f32x4.mul(y, r), k(EXP_P0 + 4));
  y = f32x4.add(f32x4.mul(y, r), k(EXP_P0 + 5));
  y = f32x4.add(f32x4.add(f32x4.mul(y, z), r), k(ONE));
  // 1.0f is 127 << 23 as bits: the exponent bias.
  const scale = i32x4.add(i32x4.shl(shifted, 23), k(ONE));
  return f32x4.mul(y, scale);
}

@inline export function sigmoidV(x: v128): v128 {
  return f32x4.div(k(ONE), f32x4.add(k(ONE), expV(f32x4.neg(x))));
}

/** tanh per lane: odd polynomial below |x| = 0.625 (keeps relative accuracy near 0),
 * 1 − 2/(e^{2|x|} + 1) above, sign restored from x (Cephes tanhf). */
@inline export function tanhV(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(ax, ax);
  let p = f32x4.add(f32x4.mul(k(TANH_P0), z), k(TANH_P0 + 1));
  p = f32x4.add(f32x4.mul(p, z), k(TANH_P0 + 2));
  p = f32x4.add(f32x4.mul(p, z), k(TANH_P0 + 3));
  p = f32x4.add(f32x4.mul(p, z), k(TANH_P0 + 4));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), ax), ax);
  const e = expV(f32x4.add(ax, ax));
  const large = f32x4.sub(k(ONE), f32x4.div(k(TWO), f32x4.add(e, k(ONE))));
  const magnitude = v128.bitselect(small, large, f32x4.lt(ax, k(TANH_SPLIT)));
  return v128.or(magnitude, v128.and(x, k(SIGN)));
}

@inline function softplusScalar(x: f32): f32 {
  return x > 0 ? x + Mathf.log1p(Mathf.exp(-x)) : Mathf.log1p(Mathf.exp(x));
}

// Activation ids: the order of ACTIVATION_NAMES in @gated/core.
export const SIGMOID = 0;
export const TANH = 1;
export const RELU = 2;
export const HARD_SIGMOID = 3;
export const LEAKY_RELU = 4;
export const THRESHOLDED_RELU = 5;
export const SCALED_TANH = 6;
export const AFFINE = 7;
export const ELU = 8;
export const SOFTSIGN = 9;
export const SOFTPLUS = 10;

/** Applies activation `id` with parameters alpha, beta to four lanes. */
@inline export function activateV(id: i32, x: v128, alpha: f32, beta: f32): v128 {
  if (id == SIGMOID) return sigmoidV(x);
  if (id == TANH) return tanhV(x);
  return activateOther(id, x, alpha, beta);
}

/** The nine other activations, out of line: inlined into every cell loop, their branches (the
 * scalar softplus four times over) cost the hot loops registers. */
@noinline function activateOther(id: i32, x: v128, alpha: f32, beta: f32): v128 {
  const zero = f32x4.splat(0.0);
  switch (id) {
    case RELU:
      return f32x4.max(x, zero);
    case HARD_SIGMOID:
      return f32x4.min(f32x4.max(f32x4.add(f32x4.mul(x, f32x4.splat(alpha)), f32x4.splat(beta)), zero), k(ONE));
    case LEAKY_RELU:
      return v128.bitselect(x, f32x4.mul(x, f32x4.splat(alpha)), f32x4.ge(x, zero));
    case THRESHOLDED_RELU:
      return v128.and(x, f32x4.gt(x, f32x4.splat(alpha)));
    case SCALED_TANH:
      return f32x4.mul(f32x4.splat(alpha), tanhV(f32x4.mul(x, f32x4.splat(beta))));
    case AFFINE:
      return f32x4.add(f32x4.mul(x, f32x4.splat(alpha)), f32x4.splat(beta));
    case ELU:
      return v128.bitselect(x, f32x4.mul(f32x4.splat(alpha), f32x4.sub(expV(x), k(ONE))), f32x4.ge(x, zero));
    case SOFTSIGN: {
      // x / (1 + |x|) is Inf/Inf = NaN at ±Inf: those lanes take ±1 (x's sign on 1).
      const ratio = f32x4.div(x, f32x4.add(k(ONE), f32x4.abs(x)));
      const unit = v128.or(k(ONE), v128.and(x, k(SIGN)));
      return v128.bitselect(unit, ratio, f32x4.eq(f32x4.abs(x), f32x4.splat(Infinity)));
    }
    default: {
      let r = x;
      r = f32x4.replace_lane(r, 0, softplusScalar(f32x4.extract_lane(x, 0)));
      r = f32x4.replace_lane(r, 1, softplusScalar(f32x4.extract_lane(x, 1)));
      r = f32x4.replace_lane(r, 2, softplusScalar(f32x4.extract_lane(x, 2)));
      r = f32x4.replace_lane(r, 3, softplusScalar(f32x4.extract_lane(x, 3)));
      return r;
    }
  }
}

/** Clamps every lane to [-clip, clip] (clip = +inf leaves x unchanged). */
@inline export function clipV(x: v128, clip: f32): v128 {
  return f32x4.pmin(f32x4.pmax(x, f32x4.splat(-clip)), f32x4.splat(clip));
}

// Derivatives (training, backward.ts) follow core's activationDerivative: x is the clipped
// pre-activation, y = f(x); PyTorch's one-sided values at kinks (relu 0 at 0, leakyRelu α at 0,
// elu y + α at 0, hardSigmoid α strictly inside (0, 1)); softplus' is sigmoid. With a clip, the
// derivative is multiplied by the clamp's: 1 where −clip ≤ a ≤ clip (inclusive, as
// torch.clamp), else 0.

/** f'(clip(a)) · clamp'(a), given y = f(clip(a)). */
@inline export function gradV(id: i32, a: v128, y: v128, alpha: f32, beta: f32, clip: f32): v128 {
  let d: v128;
  if (id == SIGMOID) d = f32x4.mul(y, f32x4.sub(onesV(), y));
  else if (id == TANH) d = f32x4.sub(onesV(), f32x4.mul(y, y));
  else d = derivativeOther(id, clipV(a, clip), y, alpha, beta);
  if (clip != Infinity) d = v128.and(d, f32x4.le(f32x4.abs(a), f32x4.splat(clip)));
  return d;
}

/** The other activations' derivatives at x (clipped), out of line as activateOther is. */
@noinline function derivativeOther(id: i32, x: v128, y: v128, alpha: f32, beta: f32): v128 {
  const zero = f32x4.splat(0.0);
  switch (id) {
    case RELU:
      return v128.and(onesV(), f32x4.gt(x, zero));
    case HARD_SIGMOID: {
      const s = f32x4.add(f32x4.mul(x, f32x4.splat(alpha)), f32x4.splat(beta));
      return v128.and(f32x4.splat(alpha), v128.and(f32x4.gt(s, zero), f32x4.lt(s, onesV())));
    }
    case LEAKY_RELU:
      return v128.bitselect(onesV(), f32x4.splat(alpha), f32x4.gt(x, zero));
    case THRESHOLDED_RELU:
      return v128.and(onesV(), f32x4.gt(x, f32x4.splat(alpha)));
    case SCALED_TANH: {
      const s = tanhV(f32x4.mul(x, f32x4.splat(beta)));
      return f32x4.mul(f32x4.splat(alpha * beta), f32x4.sub(onesV(), f32x4.mul(s, s)));
    }
    case AFFINE:
      return f32x4.splat(alpha);
    case ELU:
      return v128.bitselect(onesV(), f32x4.add(y, f32x4.splat(alpha)), f32x4.gt(x, zero));
    case SOFTSIGN: {
      // 1 / (1 + |x|)²: 0 at ±Inf (1/Inf), as core's.
      const d = f32x4.add(onesV(), f32x4.abs(x));
      return f32x4.div(onesV(), f32x4.mul(d, d));
    }
    default:
      return sigmoidV(x); // softplus
  }
}
