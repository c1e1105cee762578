import type { BindingGroup } from '../shaders/bindings.js';
import { layoutEntries, layoutKey } from '../shaders/bindings.js';
import { type ErrorChecks, scoped } from './device-health.js';
import type { StatsCounter } from './stats.js';

/** What a kernel needs to become a pipeline: WGSL, its entry point and its bind groups. */
export interface KernelSource {
  readonly code: string;
  readonly entryPoint: string;
  readonly groups: readonly BindingGroup[];
}

export interface CachedPipeline {
  readonly pipeline: GPUComputePipeline;
  /** One layout per bind group of the kernel; `layoutKeys` name them in bind group cache keys. */
  readonly layouts: readonly GPUBindGroupLayout[];
  readonly layoutKeys: readonly string[];
}

/** Shader modules, bind group layouts and compute pipelines, each built once per key. A
 * pipeline's key names everything its WGSL depends on (cell, sizes, activations, options, weight
 * format, workgroup size), so two layers with the same shape share it. */
export class PipelineCache {
  private readonly modules = new Map<string, GPUShaderModule>();
  private readonly layouts = new Map<string, GPUBindGroupLayout>();
  private readonly pipelines = new Map<string, CachedPipeline>();

  constructor(
    private readonly device: GPUDevice,
    private readonly checks: ErrorChecks,
    private readonly stats: StatsCounter,
  ) {}

  get(key: string, build: () => KernelSource): CachedPipeline {
    const cached = this.pipelines.get(key);
    if (cached) return cached;
    const source = build();
    const { value, check } = scoped(this.device, `building kernel ${key}`, () => {
      let module = this.modules.get(source.code);
      if (!module) {
        module = this.device.createShaderModule({ code: source.code, label: key });
        this.modules.set(source.code, module);
      }
      const layouts = source.groups.map((group) => this.layout(group));
      const pipeline = this.device.createComputePipeline({
        label: key,
        layout: this.device.createPipelineLayout({ bindGroupLayouts: layouts }),
        compute: { module, entryPoint: source.entryPoint },
      });
      return { pipeline, layouts, layoutKeys: source.groups.map(layoutKey) };
    });
    this.checks.add(check);
    this.stats.pipelines++;
    this.pipelines.set(key, value);
    return value;
  }

  private layout(group: BindingGroup): GPUBindGroupLayout {
    const key = layoutKey(group);
    let layout = this.layouts.get(key);
    if (!layout) {
      layout = this.device.createBindGroupLayout({ entries: layoutEntries(group) });
      this.layouts.set(key, layout);
    }
    return layout;
  }
}
