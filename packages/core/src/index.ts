export * from './activations.js';
export * from './backend.js';
export * from './backend-options.js';
export * from './capabilities.js';
export * from './config.js';
export * from './convert/index.js';
export * from './errors.js';
export * from './gates.js';
export * from './kernels.js';
export { nearestName } from './nearest-name.js';
export {
  defineKernelBackend,
  type KernelBackendDefinition,
  prepareCompile,
} from './orchestrate/define-backend.js';
export { swapLeadingAxes } from './orchestrate/layout.js';
export { Lifecycle } from './orchestrate/lifecycle.js';
export { KernelModel, packLayers } from './orchestrate/model.js';
export { KernelStream } from './orchestrate/stream.js';
export {
  assertForwardCapable,
  checkTensor,
  type ForwardInput,
  validateBatch,
  validateForwardInput,
  validateStep,
  validateStreamState,
} from './orchestrate/validate-input.js';
export * from './random.js';
export * from './safetensors/index.js';
export * from './tensor.js';
export * from './training.js';
export { bytesView, copyFloat32, typedArrayKind, typedArrayLength } from './typed-arrays.js';
export * from './weights.js';
