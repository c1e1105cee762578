export { createTfjsBackend, type TfjsBackendOptions } from './create-tfjs-backend.js';
export { createTfjsKernels } from './tfjs-kernels.js';
export type { Tf } from './tfjs-module.js';
