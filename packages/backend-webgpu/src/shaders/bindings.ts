import { SHADER_STAGE_COMPUTE } from '../gpu/gpu-flags.js';

/** How a kernel sees one buffer. `dynamic-uniform` is the per-step index, bound once with a
 * dynamic offset per dispatch. */
export type BindingKind = 'uniform' | 'dynamic-uniform' | 'read' | 'storage';

export interface BindingSpec {
  readonly name: string;
  readonly kind: BindingKind;
  /** WGSL type of the variable. */
  readonly type: string;
}

/** One bind group's bindings, numbered in order: the single source of both the WGSL
 * declarations and the bind group layout, so the two cannot disagree. */
export type BindingGroup = readonly BindingSpec[];

export function declareBindings(groups: readonly BindingGroup[]): string {
  return groups
    .flatMap((group, g) =>
      group.map((spec, i) => {
        const space =
          spec.kind === 'uniform' || spec.kind === 'dynamic-uniform'
            ? 'uniform'
            : spec.kind === 'read'
              ? 'storage, read'
              : 'storage, read_write';
        return `@group(${g}) @binding(${i}) var<${space}> ${spec.name}: ${spec.type};`;
      }),
    )
    .join('\n');
}

export function layoutEntries(group: BindingGroup): GPUBindGroupLayoutEntry[] {
  return group.map((spec, i) => ({
    binding: i,
    visibility: SHADER_STAGE_COMPUTE,
    buffer: {
      type: spec.kind === 'read' ? 'read-only-storage' : spec.kind === 'storage' ? 'storage' : 'uniform',
      hasDynamicOffset: spec.kind === 'dynamic-uniform',
    },
  }));
}

/** A stable text key of a group's layout (kinds in order). */
export function layoutKey(group: BindingGroup): string {
  return group.map((spec) => spec.kind).join(',');
}
