/** The device limits a plan must respect. */
export interface DeviceBudget {
  readonly maxBindingBytes: number;
  readonly maxWorkgroupBytes: number;
  readonly maxInvocations: number;
  readonly maxWorkgroups: number;
  /** Bytes of pre-activations kept per chunk of steps. */
  readonly preBudgetBytes: number;
}

/** Pre-activations kept per chunk, at most (and never more than one binding holds). */
export const PRE_BUDGET_BYTES = 64 * 2 ** 20;

export function deviceBudget(limits: GPUSupportedLimits): DeviceBudget {
  return {
    maxBindingBytes: Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize),
    maxWorkgroupBytes: limits.maxComputeWorkgroupStorageSize,
    maxInvocations: Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX),
    maxWorkgroups: limits.maxComputeWorkgroupsPerDimension,
    preBudgetBytes: PRE_BUDGET_BYTES,
  };
}
