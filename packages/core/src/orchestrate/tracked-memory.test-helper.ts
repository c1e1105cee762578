import type { Kernels, LayerSpec } from '../kernels.js';

/** The memory half of test kernels: Float32Array buffers, every live one tracked, reads
 * counted; layers are their specs. Tests add the kernels they exercise. */
export function trackedMemory() {
  const live = new Set<Float32Array>();
  let reads = 0;
  const memory: Omit<Kernels<Float32Array, LayerSpec>, 'runSequence'> = {
    alloc(length) {
      const b = new Float32Array(length);
      live.add(b);
      return b;
    },
    write: (buffer, data, offset = 0) => buffer.set(data, offset),
    zero: (buffer) => buffer.fill(0),
    async read(buffers) {
      reads++;
      return buffers.map((b) => b.slice());
    },
    free: (buffer) => live.delete(buffer),
    packLayer: (spec) => spec,
    freeLayer: () => {},
  };
  return { memory, live, reads: () => reads };
}
