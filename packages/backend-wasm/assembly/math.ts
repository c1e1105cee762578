// Vectorised f32 transcendental functions and the ONNX activation set.
// exp follows Cephes expf (range reduction by ln 2, degree-6 polynomial, ≤ 2 ulp); inputs are
// clamped first so no lane ever overflows, which keeps sigmoid/tanh finite at ±1e30.

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const ROUNDING_SHIFT: f32 = 12582912.0;

// Literal constants only: v128.const, one load rather than a scalar move and a shuffle.
@inline function splat(x: f32): v128 {
  return f32x4(x, x, x, x);
}

/** e^x per lane; x is clamped to [-87, 88] so 2^n stays a normal f32. n = round(x·log2 e)
 * comes from adding 1.5·2^23 (the sum's low mantissa bits are n), which is cheaper than
 * floor + trunc_sat on x86. */
@inline export function expV(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, splat(-87.0)), splat(88.0));
  const shifted = f32x4.add(f32x4.mul(x, splat(LOG2E)), splat(ROUNDING_SHIFT));
  const fx = f32x4.sub(shifted, splat(ROUNDING_SHIFT));
  let r = f32x4.sub(x, f32x4.mul(fx, splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(fx, splat(LN2_LO)));
  const z = f32x4.mul(r, r);
  let y = f32x4.add(f32x4.mul(splat(1.9875691500e-4), r), splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, r), splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, r), splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, r), splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, r), splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, z), r), splat(1.0));
  const scale = i32x4.add(i32x4.shl(shifted, 23), i32x4.splat(127 << 23));
  return f32x4.mul(y, scale);
}

@inline export function sigmoidV(x: v128): v128 {
  return f32x4.div(splat(1.0), f32x4.add(splat(1.0), expV(f32x4.neg(x))));
}

/** tanh per lane: odd polynomial below |x| = 0.625 (keeps relative accuracy near 0),
 * 1 − 2/(e^{2|x|} + 1) above, sign restored from x (Cephes tanhf). */
@inline export function tanhV(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(ax, ax);
  let p = f32x4.add(f32x4.mul(splat(-5.70498872745e-3), z), splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), ax), ax);
  const e = expV(f32x4.add(ax, ax));
  const large = f32x4.sub(splat(1.0), f32x4.div(splat(2.0), f32x4.add(e, splat(1.0))));
  const magnitude = v128.bitselect(small, large, f32x4.lt(ax, splat(0.625)));
  return v128.or(magnitude, v128.and(x, i32x4.splat(0x80000000)));
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

function activateOther(id: i32, x: v128, alpha: f32, beta: f32): v128 {
  const zero = splat(0.0);
  switch (id) {
    case RELU:
      return f32x4.max(x, zero);
    case HARD_SIGMOID:
      return f32x4.min(f32x4.max(f32x4.add(f32x4.mul(x, f32x4.splat(alpha)), f32x4.splat(beta)), zero), splat(1.0));
    case LEAKY_RELU:
      return v128.bitselect(x, f32x4.mul(x, f32x4.splat(alpha)), f32x4.ge(x, zero));
    case THRESHOLDED_RELU:
      return v128.and(x, f32x4.gt(x, f32x4.splat(alpha)));
    case SCALED_TANH:
      return f32x4.mul(f32x4.splat(alpha), tanhV(f32x4.mul(x, f32x4.splat(beta))));
    case AFFINE:
      return f32x4.add(f32x4.mul(x, f32x4.splat(alpha)), f32x4.splat(beta));
    case ELU:
      return v128.bitselect(x, f32x4.mul(f32x4.splat(alpha), f32x4.sub(expV(x), splat(1.0))), f32x4.ge(x, zero));
    case SOFTSIGN:
      return f32x4.div(x, f32x4.add(splat(1.0), f32x4.abs(x)));
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
