/** [T, B, F] → [B, T, F] (tfjs-layers is batch-major). */
export function toBatchMajor(x: Float32Array, steps: number, batch: number, features: number): Float32Array {
  return swapLeading(x, steps, batch, features);
}

/** [B, T, F] → [T, B, F]. */
export function toTimeMajor(x: Float32Array, batch: number, steps: number, features: number): Float32Array {
  return swapLeading(x, batch, steps, features);
}

function swapLeading(x: Float32Array, outer: number, inner: number, features: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let a = 0; a < outer; a++) {
    for (let b = 0; b < inner; b++) {
      out.set(
        x.subarray((a * inner + b) * features, (a * inner + b + 1) * features),
        (b * outer + a) * features,
      );
    }
  }
  return out;
}
