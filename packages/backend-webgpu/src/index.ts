export type { WebGpuBackendOptions } from './backend-options.js';
export { createWebGpuBackend, type WebGpuBackend } from './create-webgpu-backend.js';
export type { WebGpuStats } from './gpu/stats.js';
export type { WeightFormat } from './layer/layer-shape.js';
export type { PathPreference, RecurrencePath } from './sequence/plan-sequence.js';
