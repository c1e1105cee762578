export { createOnnxBackend, ONNX_CAPABILITIES, type OnnxBackendOptions } from './onnx-backend.js';
