import type { BoundBuffer } from '../gpu/bind-group-cache.js';
import type { CachedPipeline, KernelSource } from '../gpu/pipeline-cache.js';
import type { StatsCounter } from '../gpu/stats.js';
import type { Allocation } from '../memory/allocations.js';
import type { BufferHandle } from '../memory/buffer-handle.js';
import type { DeviceBudget, PathPreference } from './plan-sequence.js';

/** What encoding a sequence needs from the kernels: caches, scratch memory and the encoder
 * of the pending submission. */
export interface EncodeContext {
  readonly budget: DeviceBudget;
  readonly stats: StatsCounter;
  readonly preference: PathPreference;
  /** Threads per recurrence workgroup, or null for the default. */
  readonly workgroupSize: number | null;
  pipeline(key: string, build: () => KernelSource): CachedPipeline;
  bindGroup(pipeline: CachedPipeline, group: number, buffers: readonly BoundBuffer[]): GPUBindGroup;
  /** A uniform buffer holding `words`, cached by its contents. */
  uniform(words: Uint32Array<ArrayBuffer>): Allocation;
  /** A buffer of `length` f32 values for this submission only (released once it is submitted). */
  scratch(length: number): Allocation;
  /** The step-index buffer, with at least `count` indices. */
  stepIndex(count: number): Allocation;
  /** seqLens on the device (once per submission for the same array). */
  lengths(seqLens: Int32Array): Allocation;
  /** Zero-fills the handles whose contents are stale (reused buffers), in the pending work. */
  prepare(handles: readonly (BufferHandle | null)[]): void;
  encoder(): GPUCommandEncoder;
}
