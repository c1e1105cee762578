// What the per-step kernels (cells.ts, backward.ts) share: which batch rows a step touches, and
// how they read their params block (f32 each, see src/layer.ts).

/** Whether batch row b is active at step t: lens == 0 (every row) or t < lens[b]. */
@inline export function active(lens: usize, t: i32, b: i32): bool {
  return lens == 0 || t < load<i32>(lens + (<usize>b << 2));
}

/** params[index]: gate id, α, β (0–2); candidate id, α, β (3–5); cell id, α, β (6–8); clip
 * (9, +inf = none); coupled input-forget (10, 0/1). */
@inline export function param(params: usize, index: i32): f32 {
  return load<f32>(params + (<usize>index << 2));
}
