import type { WeightFormat } from '../layer/layer-shape.js';

/** `weight(base, cols, k, n)`: element [k, n] of a k-major matrix stored at word `base` of
 * `wts` (f32 bits, or f16 pairs along k decoded to f32), for the given weight format. */
export function weightAccessor(format: WeightFormat): string {
  return format === 'f16'
    ? /* wgsl */ `fn weight(base: u32, cols: u32, k: u32, n: u32) -> f32 {
  let pair = unpack2x16float(wts[base + (k >> 1u) * cols + n]);
  return select(pair.x, pair.y, (k & 1u) == 1u);
}`
    : /* wgsl */ `fn weight(base: u32, cols: u32, k: u32, n: u32) -> f32 {
  return bitcast<f32>(wts[base + k * cols + n]);
}`;
}
