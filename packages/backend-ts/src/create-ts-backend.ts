import {
  ALL_CAPABILITIES,
  type Backend,
  checkBackendOptions,
  defineKernelBackend,
  describeValue,
  GatedError,
} from '@gated/core';
import { createTsKernels, type Precision } from './ts-kernels.js';

export interface TsBackendOptions {
  /** 'f32' (default): f32 buffers. 'f64': float64 state and arithmetic throughout, f32 in and out. */
  precision?: Precision;
}

/** The pure TypeScript backend: every cell and option, in Node and browsers, no dependencies. */
export async function createTsBackend(options: TsBackendOptions = {}): Promise<Backend> {
  const precision = checkBackendOptions('backend-ts', options, ['precision']).precision ?? 'f32';
  if (precision !== 'f32' && precision !== 'f64') {
    throw new GatedError(
      'INVALID_CONFIG',
      `backend-ts options.precision: expected 'f32' or 'f64', received ${describeValue(precision)}`,
    );
  }
  return defineKernelBackend({
    name: precision === 'f64' ? 'ts-f64' : 'ts',
    capabilities: ALL_CAPABILITIES,
    kernels: createTsKernels(precision),
  });
}
