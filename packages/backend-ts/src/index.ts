export { createTsBackend, type TsBackendOptions } from './create-ts-backend.js';
export { createTsKernels, type Precision } from './ts-kernels.js';
