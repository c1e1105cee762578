import {
  GatedError,
  type Kernels,
  type LayerSpec,
  type LayerWeights,
  layerWeightNames,
  typedArrayLength,
} from '@gated/core';
import { BindGroupCache } from './gpu/bind-group-cache.js';
import { CommandRecorder } from './gpu/command-recorder.js';
import { DeviceHealth, ErrorChecks, scoped } from './gpu/device-health.js';
import { BufferUsage } from './gpu/gpu-flags.js';
import { PipelineCache } from './gpu/pipeline-cache.js';
import { StatsCounter, type WebGpuStats } from './gpu/stats.js';
import { layerShape, type WeightFormat } from './layer/layer-shape.js';
import { packWeights } from './layer/pack-weights.js';
import type { PackedLayer } from './layer/packed-layer.js';
import { type Allocation, Allocations, byteSize } from './memory/allocations.js';
import { BufferHandle } from './memory/buffer-handle.js';
import { readBack } from './memory/read-back.js';
import { StepIndex } from './memory/step-index.js';
import { UniformCache } from './memory/uniform-cache.js';
import type { EncodeContext } from './sequence/encode-context.js';
import { encodeSequence, type Job } from './sequence/encode-sequence.js';
import { type DeviceBudget, type PathPreference, PRE_BUDGET_BYTES } from './sequence/plan-sequence.js';

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
const WEIGHT_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_DST;
const LENGTHS_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_DST;

export function deviceBudget(limits: GPUSupportedLimits): DeviceBudget {
  return {
    maxBindingBytes: Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize),
    maxWorkgroupBytes: limits.maxComputeWorkgroupStorageSize,
    maxInvocations: Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX),
    maxWorkgroups: limits.maxComputeWorkgroupsPerDimension,
    preBudgetBytes: PRE_BUDGET_BYTES,
  };
}

/** Core's Kernels on a GPUDevice: buffers are GPUBuffers (pooled while models live), packed
 * layers are two weight buffers each, runSequence encodes into the one pending submission and
 * read submits it with the readback. */
export function createWebGpuKernels(options: WebGpuKernelOptions): WebGpuKernels {
  const { device } = options;
  const health = new DeviceHealth(device, options.owned);
  const checks = new ErrorChecks();
  const stats = new StatsCounter();
  const allocations = new Allocations(device, checks);
  const recorder = new CommandRecorder(device, checks, stats);
  const pipelines = new PipelineCache(device, checks, stats);
  const bindGroups = new BindGroupCache(device, stats);
  allocations.onDestroy = (id) => bindGroups.evict(id);
  const uniforms = new UniformCache(device, allocations, recorder);
  const stepIndex = new StepIndex(device, allocations, recorder);
  const budget = { ...deviceBudget(device.limits), ...options.budget };
  const lengthsOfSubmission = new Map<Int32Array, Allocation>();
  let liveLayers = 0;
  let reads = 0;
  let disposed = false;

  /** Scratch for the pending submission: back to the pool once that is submitted. */
  const submissionScoped = (allocation: Allocation): Allocation => {
    recorder.encoder();
    recorder.whenSubmitted(() => allocations.give(allocation));
    return allocation;
  };

  const context: EncodeContext = {
    budget,
    stats,
    preference: options.recurrence,
    workgroupSize: options.workgroupSize,
    pipeline: (key, build) => pipelines.get(key, build),
    bindGroup: (pipeline, group, buffers) =>
      bindGroups.get(pipeline.layouts[group], `${pipeline.layoutKeys[group]}#${group}`, buffers),
    uniform: (words) => uniforms.get(words),
    scratch: (length) =>
      submissionScoped(allocations.take(byteSize(length), DATA_USAGE, 'gated scratch').allocation),
    stepIndex: (count) => stepIndex.get(count),
    lengths(seqLens) {
      const cached = lengthsOfSubmission.get(seqLens);
      if (cached) return cached;
      const { allocation } = allocations.take(byteSize(seqLens.length), LENGTHS_USAGE, 'gated seqLens');
      device.queue.writeBuffer(allocation.gpu, 0, Uint32Array.from(seqLens));
      lengthsOfSubmission.set(seqLens, submissionScoped(allocation));
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
    if (disposed)
      throw new GatedError('DISPOSED', 'webgpu kernels: expected a live backend, received a disposed one');
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
  /** The last model is gone: pooled buffers and cached parameters go too (live buffers → 0). */
  const releaseCaches = (): void => {
    allocations.pooling = false;
    uniforms.clear();
    stepIndex.release();
    recorder.whenSubmitted(() => allocations.trim());
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
      // Queue writes run before work not yet submitted: submit it first, to keep call order.
      recorder.submit();
      const { check } = scoped(device, 'writing a buffer', () => {
        if (handle.needsZero && (offset !== 0 || count !== handle.length)) {
          device.queue.writeBuffer(handle.allocation.gpu, 0, new Float32Array(handle.length));
        }
        handle.needsZero = false;
        if (count > 0)
          device.queue.writeBuffer(
            handle.allocation.gpu,
            offset * 4,
            data as Float32Array<ArrayBuffer>,
            0,
            count,
          );
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
      const done = (): void => {
        reads--;
        if (disposed && reads === 0) destroyDevice();
      };
      const context = {
        allocations,
        recorder,
        health,
        checks,
        stats,
        maxBufferBytes: device.limits.maxBufferSize,
      };
      return readBack(context, handles).finally(done);
    },

    free(buffer) {
      if (!(buffer instanceof BufferHandle) || buffer.freed) return;
      buffer.freed = true;
      recorder.whenSubmitted(() => allocations.give(buffer.allocation));
    },

    packLayer(spec: LayerSpec, weights: LayerWeights): PackedLayer {
      assertOpen();
      const shape = layerShape(spec, options.weightFormat);
      const names = layerWeightNames(spec.config, spec.layer, spec.direction);
      const packed = packWeights(shape, weights, {
        weightIh: names.weightIh,
        weightHh: names.weightHh,
        weightHr: names.weightHr ?? null,
      });
      for (const words of [packed.input, packed.recurrent]) {
        if (words.byteLength > budget.maxBindingBytes) {
          throw new GatedError(
            'UNSUPPORTED',
            `config: expected a layer's weights to fit one storage binding of this device (${budget.maxBindingBytes} bytes), received a layer needing ${words.byteLength}`,
          );
        }
      }
      const { value, check } = scoped(device, 'uploading weights', () => {
        const upload = (words: Uint32Array<ArrayBuffer>): Allocation => {
          const { allocation } = allocations.take(
            Math.max(4, words.byteLength),
            WEIGHT_USAGE,
            'gated weights',
          );
          device.queue.writeBuffer(allocation.gpu, 0, words);
          return allocation;
        };
        return { input: upload(packed.input), recurrent: upload(packed.recurrent) };
      });
      liveLayers++;
      allocations.pooling = true;
      return { shape, input: value.input, recurrent: value.recurrent, upload: check, freed: false };
    },

    freeLayer(layer) {
      if (layer.freed) return;
      layer.freed = true;
      recorder.whenSubmitted(() => {
        allocations.destroy(layer.input);
        allocations.destroy(layer.recurrent);
      });
      liveLayers--;
      if (liveLayers === 0) releaseCaches();
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
      releaseCaches();
      recorder.submit();
      health.close();
      if (reads === 0) destroyDevice();
    },
  };
}
