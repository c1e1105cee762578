import type { DeviceResources } from '../device-resources.js';
import type { BoundBuffer } from '../gpu/bind-group-cache.js';
import type { DeviceBudget } from '../gpu/device-budget.js';
import { BufferUsage } from '../gpu/gpu-flags.js';
import type { CachedPipeline, KernelSource } from '../gpu/pipeline-cache.js';
import type { StatsCounter } from '../gpu/stats.js';
import { type Allocation, byteSize } from '../memory/allocations.js';
import type { BufferHandle } from '../memory/buffer-handle.js';
import type { PathPreference } from './plan-sequence.js';

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

const SCRATCH_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
const LENGTHS_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_DST;

/** The EncodeContext of a backend's device resources. */
export function createEncodeContext(
  resources: DeviceResources,
  preference: PathPreference,
  workgroupSize: number | null,
): EncodeContext {
  const { allocations, recorder, stats, device } = resources;
  const lengthsOfSubmission = new Map<Int32Array, Allocation>();
  return {
    budget: resources.budget,
    stats,
    preference,
    workgroupSize,
    pipeline: (key, build) => resources.pipelines.get(key, build),
    bindGroup: (pipeline, group, buffers) =>
      resources.bindGroups.get(pipeline.layouts[group], `${pipeline.layoutKeys[group]}#${group}`, buffers),
    uniform: (words) => resources.uniforms.get(words),
    scratch: (length) =>
      resources.forThisSubmission(
        allocations.take(byteSize(length), SCRATCH_USAGE, 'gated scratch').allocation,
      ),
    stepIndex: (count) => resources.stepIndex.get(count),
    lengths(seqLens) {
      const cached = lengthsOfSubmission.get(seqLens);
      if (cached) return cached;
      const { allocation } = allocations.take(byteSize(seqLens.length), LENGTHS_USAGE, 'gated seqLens');
      device.queue.writeBuffer(allocation.gpu, 0, Uint32Array.from(seqLens));
      lengthsOfSubmission.set(seqLens, resources.forThisSubmission(allocation));
      recorder.whenSubmitted(() => lengthsOfSubmission.delete(seqLens));
      return allocation;
    },
    prepare(handles) {
      const encoder = recorder.encoder();
      for (const handle of handles) {
        if (handle?.needsZero) {
          encoder.clearBuffer(handle.allocation.gpu);
          handle.needsZero = false;
          stats.copies++;
        }
      }
    },
    encoder: () => recorder.encoder(),
  };
}
