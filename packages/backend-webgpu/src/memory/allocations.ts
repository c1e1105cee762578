import { type ErrorChecks, scoped } from '../gpu/device-health.js';

/** One GPUBuffer this backend created. `id` names it in cache keys (bind groups). */
export interface Allocation {
  readonly id: number;
  readonly gpu: GPUBuffer;
  readonly bytes: number;
  readonly usage: number;
}

/** Bytes of freed buffers kept for reuse, at most: beyond this a freed buffer is destroyed. */
const POOL_BYTES = 256 * 2 ** 20;

/** Every GPUBuffer of a backend: created, pooled for reuse while models are alive, destroyed.
 * `live` counts the GPUBuffers that exist (pooled ones included): a test holds it to zero after
 * the last model is disposed. Reusing buffers keeps their ids, and so their bind groups. */
export class Allocations {
  private nextId = 1;
  private liveCount = 0;
  private pooledBytes = 0;
  private readonly pool = new Map<string, Allocation[]>();
  /** Pooling is on while models are alive; the last model's dispose turns it off and empties it. */
  pooling = false;
  /** Called with the id of each destroyed buffer (its bind groups go with it). */
  onDestroy: (id: number) => void = () => {};

  constructor(
    private readonly device: GPUDevice,
    private readonly checks: ErrorChecks,
  ) {}

  get live(): number {
    return this.liveCount;
  }

  /** A buffer of `bytes` (a multiple of 4, at least 4) and `usage`: a pooled one if there is
   * one (its contents are stale), else a new, zero-filled one. */
  take(bytes: number, usage: number, label: string): { allocation: Allocation; fresh: boolean } {
    // First in, first out: a stream's step takes back its scratch buffers in the order it took
    // them the step before, so each layer binds the same buffers and reuses its bind groups.
    const reused = this.pool.get(poolKey(bytes, usage))?.shift();
    if (reused) {
      this.pooledBytes -= reused.bytes;
      return { allocation: reused, fresh: false };
    }
    const { value: gpu, check } = scoped(this.device, `allocating ${bytes} bytes`, () =>
      this.device.createBuffer({ size: bytes, usage, label }),
    );
    this.checks.add(check);
    this.liveCount++;
    return { allocation: { id: this.nextId++, gpu, bytes, usage }, fresh: true };
  }

  /** Back to the pool (while pooling, within its budget), else destroyed. The caller makes sure
   * no work still to be submitted uses it. */
  give(allocation: Allocation): void {
    if (this.pooling && this.pooledBytes + allocation.bytes <= POOL_BYTES) {
      const key = poolKey(allocation.bytes, allocation.usage);
      const list = this.pool.get(key);
      if (list) list.push(allocation);
      else this.pool.set(key, [allocation]);
      this.pooledBytes += allocation.bytes;
      return;
    }
    this.destroy(allocation);
  }

  destroy(allocation: Allocation): void {
    allocation.gpu.destroy();
    this.liveCount--;
    this.onDestroy(allocation.id);
  }

  /** Destroys every pooled buffer. */
  trim(): void {
    for (const list of this.pool.values()) for (const allocation of list) this.destroy(allocation);
    this.pool.clear();
    this.pooledBytes = 0;
  }
}

function poolKey(bytes: number, usage: number): string {
  return `${usage}:${bytes}`;
}

/** Bytes of a buffer of `length` f32 values: WebGPU buffers hold at least 4 bytes. */
export function byteSize(length: number): number {
  return Math.max(4, length * 4);
}
