export * from './activations.js';
export * from './backend.js';
export * from './capabilities.js';
export * from './config.js';
export * from './errors.js';
export * from './gates.js';
export * from './kernels.js';
export * from './random.js';
export * from './tensor.js';
export * from './weights.js';
export { defineKernelBackend, prepareCompile, type KernelBackendDefinition } from './orchestrate/define-backend.js';
export { KernelModel, packLayers } from './orchestrate/model.js';
export { KernelStream } from './orchestrate/stream.js';
export { Lifecycle } from './orchestrate/lifecycle.js';
export { swapLeadingAxes } from './orchestrate/layout.js';
export {
  checkTensor,
  validateBatch,
  validateForwardInput,
  validateStep,
  validateStreamState,
  type ForwardInput,
} from './orchestrate/validate-input.js';
