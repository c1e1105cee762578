import { GatedError, type Kernels, typedArrayLength } from '@gated/core';
import { DeviceResources } from './device-resources.js';
import type { DeviceBudget } from './gpu/device-budget.js';
import { scoped } from './gpu/device-health.js';
import { BufferUsage } from './gpu/gpu-flags.js';
import type { WebGpuStats } from './gpu/stats.js';
import type { WeightFormat } from './layer/layer-shape.js';
import type { PackedLayer } from './layer/packed-layer.js';
import { uploadLayer } from './layer/upload-layer.js';
import { byteSize } from './memory/allocations.js';
import { BufferHandle } from './memory/buffer-handle.js';
import { readBack } from './memory/read-back.js';
import { createEncodeContext } from './sequence/encode-context.js';
import { encodeSequence, type Job } from './sequence/encode-sequence.js';
import type { PathPreference } from './sequence/plan-sequence.js';

export interface WebGpuKernelOptions {
  readonly device: GPUDevice;
  /** Created by the backend: destroyed by its dispose (a shared device is left alive). */
  readonly owned: boolean;
  readonly weightFormat: WeightFormat;
  readonly recurrence: PathPreference;
  /** Threads per recurrence workgroup, or null for the default. */
  readonly workgroupSize: number | null;
  /** Tighter limits than the device's (tests use them to force chunking). */
  readonly budget?: Partial<DeviceBudget>;
}

export interface WebGpuKernels extends Kernels<BufferHandle, PackedLayer> {
  readonly device: GPUDevice;
  readonly budget: DeviceBudget;
  stats(): WebGpuStats;
}

const DATA_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;

/** Core's Kernels on a GPUDevice. Buffers are GPUBuffers (pooled while models live, lazily
 * zeroed when reused); packed layers are two weight buffers each; runSequence encodes into the
 * one pending submission and read submits it with the readback. Queue writes run before work not
 * yet submitted, so a write first submits what is pending: call order is the device's order. */
export function createWebGpuKernels(options: WebGpuKernelOptions): WebGpuKernels {
  const { device } = options;
  const resources = new DeviceResources(device, options.owned, options.budget);
  const { health, checks, stats, allocations, recorder, budget } = resources;
  const context = createEncodeContext(resources, options.recurrence, options.workgroupSize);
  let liveLayers = 0;
  let reads = 0;
  let disposed = false;

  const assertLive = (what: string, handle: unknown): BufferHandle => {
    if (!(handle instanceof BufferHandle) || handle.freed) {
      throw new GatedError(
        'INVALID_INPUT',
        `${what}: expected a live buffer of this backend, received a freed or foreign one`,
      );
    }
    return handle;
  };
  const assertOpen = (): void => {
    if (disposed) {
      throw new GatedError('DISPOSED', 'webgpu kernels: expected a live backend, received a disposed one');
    }
    health.assertUsable();
  };
  const checkLength = (length: number): void => {
    if (!Number.isSafeInteger(length) || length < 0 || byteSize(length) > budget.maxBindingBytes) {
      throw new GatedError(
        'INVALID_INPUT',
        `x: expected buffers of at most ${budget.maxBindingBytes} bytes (this device's largest storage binding), received a request for ${length} f32 values (split the batch or the sequence)`,
      );
    }
  };
  const destroyDevice = (): void => {
    if (options.owned) device.destroy();
  };

  return {
    device,
    budget,
    stats: () => stats.snapshot(allocations.live),

    reserve(lengths) {
      for (const length of lengths) checkLength(length);
    },

    alloc(length) {
      assertOpen();
      checkLength(length);
      const { allocation, fresh } = allocations.take(byteSize(length), DATA_USAGE, 'gated buffer');
      return new BufferHandle(allocation, length, !fresh);
    },

    write(buffer, data, offset = 0) {
      const handle = assertLive('write', buffer);
      assertOpen();
      const count = typedArrayLength(data);
      if (count < 0 || !Number.isSafeInteger(offset) || offset < 0 || offset + count > handle.length) {
        throw new GatedError(
          'INVALID_INPUT',
          `write: expected ${count} values at offset ${offset} to fit a buffer of ${handle.length}, received a write past its end`,
        );
      }
      recorder.submit();
      const { check } = scoped(device, 'writing a buffer', () => {
        const gpu = handle.allocation.gpu;
        if (handle.needsZero && (offset !== 0 || count !== handle.length)) {
          device.queue.writeBuffer(gpu, 0, new Float32Array(handle.length));
        }
        handle.needsZero = false;
        if (count > 0) device.queue.writeBuffer(gpu, offset * 4, data as Float32Array<ArrayBuffer>, 0, count);
      });
      checks.add(check);
    },

    zero(buffer) {
      assertLive('zero', buffer).needsZero = true;
    },

    read(buffers) {
      const handles = buffers.map((buffer) => assertLive('read', buffer));
      assertOpen();
      reads++;
      const context = { ...resources, maxBufferBytes: device.limits.maxBufferSize };
      return readBack(context, handles).finally(() => {
        reads--;
        if (disposed && reads === 0) destroyDevice();
      });
    },

    free(buffer) {
      if (!(buffer instanceof BufferHandle) || buffer.freed) return;
      buffer.freed = true;
      recorder.whenSubmitted(() => allocations.give(buffer.allocation));
    },

    packLayer(spec, weights) {
      assertOpen();
      const layer = uploadLayer(resources, spec, weights, options.weightFormat);
      liveLayers++;
      allocations.pooling = true;
      return layer;
    },

    freeLayer(layer) {
      if (layer.freed) return;
      layer.freed = true;
      recorder.whenSubmitted(() => {
        allocations.destroy(layer.input);
        allocations.destroy(layer.recurrent);
      });
      liveLayers--;
      if (liveLayers === 0) resources.releaseCaches();
    },

    runSequence(job: Job) {
      assertOpen();
      for (const [what, handle] of [
        ['input', job.input],
        ['output', job.output],
        ['h', job.h],
        ['c', job.c],
        ['gates', job.gates],
      ] as const) {
        if (handle !== null) assertLive(`runSequence ${what}`, handle);
      }
      if (job.layer.freed) {
        throw new GatedError('DISPOSED', 'runSequence: expected a live layer, received a freed one');
      }
      checks.add(job.layer.upload);
      const { check } = scoped(device, 'encoding a sequence', () => encodeSequence(context, job));
      checks.add(check);
    },

    dispose() {
      if (disposed) return;
      disposed = true;
      resources.releaseCaches();
      recorder.submit();
      health.close();
      if (reads === 0) destroyDevice();
    },
  };
}
