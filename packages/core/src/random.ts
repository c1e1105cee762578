/** A small, fast, seedable PRNG (mulberry32) so that weights and test data are reproducible
 * across platforms and backends. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills a new Float32Array with U(low, high) values from `random`. */
export function uniformArray(length: number, low: number, high: number, random: () => number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = low + (high - low) * random();
  return out;
}
