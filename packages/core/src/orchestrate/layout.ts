/** Swaps the first two axes of a [A, B, C] array: [B, T, I] ↔ [T, B, I]. */
export function swapLeadingAxes(data: Float32Array, a: number, b: number, c: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      out.set(data.subarray((i * b + j) * c, (i * b + j + 1) * c), (j * a + i) * c);
    }
  }
  return out;
}
