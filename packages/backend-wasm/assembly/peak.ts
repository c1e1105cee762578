// A register-only loop of 12 independent f32x4 multiply-add chains: the SIMD throughput ceiling
// the GEMM is compared against (scripts/bench.mjs). Same instructions as the GEMM: mul + add, or
// one relaxed_madd in the relaxed-SIMD build.

@inline function madd(a: v128, m: v128, s: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, m, s);
  return f32x4.add(f32x4.mul(a, m), s);
}
export function peakMulAdd(iterations: i32, seed: f32): f32 {
  const m = f32x4.splat(0.999999);
  const s = f32x4.splat(1e-7);
  let a0 = f32x4.splat(seed),
    a1 = f32x4.splat(seed + 1),
    a2 = f32x4.splat(seed + 2),
    a3 = f32x4.splat(seed + 3);
  let a4 = f32x4.splat(seed + 4),
    a5 = f32x4.splat(seed + 5),
    a6 = f32x4.splat(seed + 6),
    a7 = f32x4.splat(seed + 7);
  let a8 = f32x4.splat(seed + 8),
    a9 = f32x4.splat(seed + 9),
    a10 = f32x4.splat(seed + 10),
    a11 = f32x4.splat(seed + 11);
  for (let i = 0; i < iterations; i++) {
    a0 = madd(a0, m, s);
    a1 = madd(a1, m, s);
    a2 = madd(a2, m, s);
    a3 = madd(a3, m, s);
    a4 = madd(a4, m, s);
    a5 = madd(a5, m, s);
    a6 = madd(a6, m, s);
    a7 = madd(a7, m, s);
    a8 = madd(a8, m, s);
    a9 = madd(a9, m, s);
    a10 = madd(a10, m, s);
    a11 = madd(a11, m, s);
  }
  const sum = f32x4.add(
    f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)),
    f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)),
  );
  const all = f32x4.add(sum, f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)));
  return f32x4.extract_lane(all, 0) + f32x4.extract_lane(all, 3);
}
