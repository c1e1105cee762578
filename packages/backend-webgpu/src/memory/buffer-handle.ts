import type { Allocation } from './allocations.js';

/** A buffer of `length` f32 values as the orchestration holds it (the `B` of core's Kernels).
 * Each alloc gets a new handle, so freeing one twice, or using a freed one, is caught. */
export class BufferHandle {
  freed = false;

  constructor(
    readonly allocation: Allocation,
    readonly length: number,
    /** The contents are stale (a reused buffer, or zero() was called): the zeros it must hold
     * are written just before its next use. */
    public needsZero: boolean,
  ) {}
}
