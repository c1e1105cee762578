import { type GatedError, runtimeError } from '@gated/core';
import type { CommandRecorder } from '../gpu/command-recorder.js';
import type { DeviceHealth, ErrorChecks } from '../gpu/device-health.js';
import { BufferUsage, MAP_MODE_READ } from '../gpu/gpu-flags.js';
import type { StatsCounter } from '../gpu/stats.js';
import type { Allocation, Allocations } from './allocations.js';
import type { BufferHandle } from './buffer-handle.js';

export interface ReadBackContext {
  readonly allocations: Allocations;
  readonly recorder: CommandRecorder;
  readonly health: DeviceHealth;
  readonly checks: ErrorChecks;
  readonly stats: StatsCounter;
  /** Largest buffer the device creates, in bytes. */
  readonly maxBufferBytes: number;
}

interface Staged {
  readonly handle: BufferHandle;
  readonly staging: number;
  readonly offset: number;
}

/** Copies every handle into mappable staging buffers at the end of the pending work, submits
 * it (the one submission of a forward) and maps them all in one round trip. Synchronous up to
 * the submission, so the call order of kernels is the order of work on the device. Fails with
 * the device's own reason when the submitted work or the calls before it failed, or when the
 * device is lost meanwhile (raced, so a lost device never leaves the promise pending). */
export function readBack(ctx: ReadBackContext, handles: readonly BufferHandle[]): Promise<Float32Array[]> {
  const encoder = ctx.recorder.encoder();
  const sizes: number[] = [];
  const staged: Staged[] = [];
  for (const handle of handles) {
    const bytes = handle.length * 4;
    let index = sizes.length - 1;
    if (index < 0 || sizes[index] + bytes > ctx.maxBufferBytes) {
      sizes.push(0);
      index++;
    }
    staged.push({ handle, staging: index, offset: sizes[index] });
    sizes[index] += bytes;
  }
  const stagings = sizes.map(
    (bytes) =>
      ctx.allocations.take(Math.max(4, bytes), BufferUsage.MAP_READ | BufferUsage.COPY_DST, 'gated readback')
        .allocation,
  );
  for (const { handle, staging, offset } of staged) {
    if (handle.needsZero) {
      encoder.clearBuffer(handle.allocation.gpu);
      handle.needsZero = false;
      ctx.stats.copies++;
    }
    if (handle.length === 0) continue;
    encoder.copyBufferToBuffer(handle.allocation.gpu, 0, stagings[staging].gpu, offset, handle.length * 4);
    ctx.stats.copies++;
  }
  ctx.recorder.submit();
  ctx.stats.readbacks++;
  const failure = ctx.checks.collect();
  const maps = Promise.allSettled(stagings.map((s) => s.gpu.mapAsync(MAP_MODE_READ)));
  return finish(ctx, staged, stagings, maps, failure);
}

async function finish(
  ctx: ReadBackContext,
  staged: readonly Staged[],
  stagings: readonly Allocation[],
  maps: Promise<PromiseSettledResult<undefined>[]>,
  failure: Promise<GatedError | null>,
): Promise<Float32Array[]> {
  const outcome = await Promise.race([
    Promise.all([maps, failure]).then(([mapped, error]) => ({ mapped, error, lost: null })),
    ctx.health.lost.then((lost) => ({ mapped: null, error: null, lost })),
  ]);
  if (outcome.lost) {
    // The device is gone, and its buffers with it: none goes back to the pool.
    for (const staging of stagings) ctx.allocations.destroy(staging);
    throw outcome.lost;
  }
  const mapped = outcome.mapped ?? [];
  const rejected = mapped.find((m): m is PromiseRejectedResult => m.status === 'rejected');
  const error =
    outcome.error ??
    (rejected ? runtimeError('BACKEND_UNAVAILABLE', 'webgpu: reading results back', rejected.reason) : null);
  if (error) {
    stagings.forEach((staging, i) => {
      if (mapped[i]?.status === 'fulfilled') staging.gpu.unmap();
      ctx.allocations.destroy(staging);
    });
    throw error;
  }
  const ranges = stagings.map((staging) => staging.gpu.getMappedRange());
  const results = staged.map(({ handle, staging, offset }) =>
    new Float32Array(ranges[staging], offset, handle.length).slice(),
  );
  for (const staging of stagings) {
    staging.gpu.unmap();
    ctx.allocations.give(staging);
  }
  return results;
}
