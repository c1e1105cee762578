import type { Allocation } from '../memory/allocations.js';
import type { StatsCounter } from './stats.js';

/** One binding of a bind group: a whole buffer, or `size` bytes of it (the step index). */
export interface BoundBuffer {
  readonly allocation: Allocation;
  readonly size?: number;
}

/** Most bind groups kept; the oldest go first beyond this. */
const MAX_GROUPS = 4096;

/** Bind groups by (layout, buffers): a stream's steps, and forwards of one shape once their
 * buffers come from the pool, bind the same buffers every time and so reuse their groups.
 * A destroyed buffer takes its groups with it. */
export class BindGroupCache {
  private readonly groups = new Map<string, GPUBindGroup>();
  private readonly byAllocation = new Map<number, Set<string>>();

  constructor(
    private readonly device: GPUDevice,
    private readonly stats: StatsCounter,
  ) {}

  get(layout: GPUBindGroupLayout, layoutKey: string, buffers: readonly BoundBuffer[]): GPUBindGroup {
    const key = `${layoutKey}|${buffers.map((b) => `${b.allocation.id}:${b.size ?? ''}`).join(',')}`;
    const cached = this.groups.get(key);
    if (cached) return cached;
    const group = this.device.createBindGroup({
      layout,
      entries: buffers.map((b, binding) => ({
        binding,
        resource:
          b.size === undefined ? { buffer: b.allocation.gpu } : { buffer: b.allocation.gpu, size: b.size },
      })),
    });
    this.stats.bindGroups++;
    if (this.groups.size >= MAX_GROUPS) {
      const oldest = this.groups.keys().next().value;
      if (oldest !== undefined) this.groups.delete(oldest);
    }
    this.groups.set(key, group);
    for (const b of buffers) {
      const keys = this.byAllocation.get(b.allocation.id);
      if (keys) keys.add(key);
      else this.byAllocation.set(b.allocation.id, new Set([key]));
    }
    return group;
  }

  /** Forgets every group that binds the buffer `id` (it was destroyed). */
  evict(id: number): void {
    const keys = this.byAllocation.get(id);
    if (!keys) return;
    for (const key of keys) this.groups.delete(key);
    this.byAllocation.delete(id);
  }

  clear(): void {
    this.groups.clear();
    this.byAllocation.clear();
  }
}
