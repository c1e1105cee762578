export { createOnnxBackend, ONNX_CAPABILITIES, type OnnxBackendOptions } from './onnx-backend.js';
export type { OrtModule } from './onnx-runtime.js';
