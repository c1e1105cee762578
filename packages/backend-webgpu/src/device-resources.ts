import { BindGroupCache } from './gpu/bind-group-cache.js';
import { CommandRecorder } from './gpu/command-recorder.js';
import { type DeviceBudget, deviceBudget } from './gpu/device-budget.js';
import { DeviceHealth, ErrorChecks } from './gpu/device-health.js';
import { PipelineCache } from './gpu/pipeline-cache.js';
import { StatsCounter } from './gpu/stats.js';
import { type Allocation, Allocations } from './memory/allocations.js';
import { StepIndex } from './memory/step-index.js';
import { UniformCache } from './memory/uniform-cache.js';

/** Everything a backend keeps on its device: its health, the pending submission, its buffers
 * (pooled while models live) and the caches of pipelines, bind groups and parameters. */
export class DeviceResources {
  readonly health: DeviceHealth;
  readonly checks = new ErrorChecks();
  readonly stats = new StatsCounter();
  readonly allocations: Allocations;
  readonly recorder: CommandRecorder;
  readonly pipelines: PipelineCache;
  readonly bindGroups: BindGroupCache;
  readonly uniforms: UniformCache;
  readonly stepIndex: StepIndex;
  readonly budget: DeviceBudget;

  constructor(
    readonly device: GPUDevice,
    owned: boolean,
    budget: Partial<DeviceBudget> = {},
  ) {
    this.health = new DeviceHealth(device, owned);
    this.allocations = new Allocations(device, this.checks);
    this.recorder = new CommandRecorder(device, this.checks, this.stats);
    this.pipelines = new PipelineCache(device, this.checks, this.stats);
    this.bindGroups = new BindGroupCache(device, this.stats);
    this.allocations.onDestroy = (id) => this.bindGroups.evict(id);
    this.uniforms = new UniformCache(device, this.allocations, this.recorder);
    this.stepIndex = new StepIndex(device, this.allocations, this.recorder);
    this.budget = { ...deviceBudget(device.limits), ...budget };
  }

  /** `allocation` serves the pending submission only: back to the pool once that is submitted. */
  forThisSubmission(allocation: Allocation): Allocation {
    this.recorder.encoder();
    this.recorder.whenSubmitted(() => this.allocations.give(allocation));
    return allocation;
  }

  /** The last model is gone: pooled buffers and cached parameters go too (live buffers → 0). */
  releaseCaches(): void {
    this.allocations.pooling = false;
    this.uniforms.clear();
    this.stepIndex.release();
    this.recorder.whenSubmitted(() => this.allocations.trim());
  }
}
