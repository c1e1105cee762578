import type { CommandRecorder } from '../gpu/command-recorder.js';
import { BufferUsage } from '../gpu/gpu-flags.js';
import type { Allocation, Allocations } from './allocations.js';

/** Most uniform buffers kept; the oldest is destroyed (once submitted work no longer needs it). */
const MAX_UNIFORMS = 1024;

/** Small uniform buffers by content: a job's parameters are the same for every forward of one
 * shape and every step of a stream, so their buffers (and the bind groups holding them) are
 * built once. Written at creation only, so a cached buffer is never rewritten under pending work. */
export class UniformCache {
  private readonly buffers = new Map<string, Allocation>();

  constructor(
    private readonly device: GPUDevice,
    private readonly allocations: Allocations,
    private readonly recorder: CommandRecorder,
  ) {}

  get(words: Uint32Array<ArrayBuffer>): Allocation {
    const key = words.join(',');
    const cached = this.buffers.get(key);
    if (cached) return cached;
    if (this.buffers.size >= MAX_UNIFORMS) this.evictOldest();
    const bytes = Math.ceil((words.length * 4) / 16) * 16;
    const { allocation } = this.allocations.take(
      bytes,
      BufferUsage.UNIFORM | BufferUsage.COPY_DST,
      'gated params',
    );
    this.device.queue.writeBuffer(allocation.gpu, 0, words);
    this.buffers.set(key, allocation);
    return allocation;
  }

  clear(): void {
    const all = [...this.buffers.values()];
    this.buffers.clear();
    this.recorder.whenSubmitted(() => {
      for (const allocation of all) this.allocations.destroy(allocation);
    });
  }

  private evictOldest(): void {
    const [key, allocation] = this.buffers.entries().next().value as [string, Allocation];
    this.buffers.delete(key);
    this.recorder.whenSubmitted(() => this.allocations.destroy(allocation));
  }
}
