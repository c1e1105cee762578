import type { CommandRecorder } from '../gpu/command-recorder.js';
import { BufferUsage } from '../gpu/gpu-flags.js';
import { MAX_STEP_INDEX } from '../sequence/plan-sequence.js';
import { STEP_INDEX_STRIDE } from '../shaders/step-kernels.js';
import type { Allocation, Allocations } from './allocations.js';

/** The uniform buffer of step indices 0, 1, 2, … at 256-byte strides that per-step dispatches
 * bind with a dynamic offset: one buffer for every step of every job, grown when a job needs
 * more steps than it holds. */
export class StepIndex {
  private current: Allocation | null = null;
  private count = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly allocations: Allocations,
    private readonly recorder: CommandRecorder,
  ) {}

  get(count: number): Allocation {
    if (this.current && this.count >= count) return this.current;
    this.release();
    const size = Math.max(count, Math.min(MAX_STEP_INDEX, Math.max(this.count * 2, 64)));
    const words = new Uint32Array((size * STEP_INDEX_STRIDE) / 4);
    for (let s = 0; s < size; s++) words[(s * STEP_INDEX_STRIDE) / 4] = s;
    const { allocation } = this.allocations.take(
      words.byteLength,
      BufferUsage.UNIFORM | BufferUsage.COPY_DST,
      'gated step index',
    );
    this.device.queue.writeBuffer(allocation.gpu, 0, words);
    this.current = allocation;
    this.count = size;
    return allocation;
  }

  release(): void {
    const old = this.current;
    this.current = null;
    this.count = 0;
    if (old) this.recorder.whenSubmitted(() => this.allocations.destroy(old));
  }
}
