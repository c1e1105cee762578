export { DEFAULT_OPSET, type ExportOnnxOptions, exportOnnx } from './export-onnx.js';
export { type ImportedModel, importOnnx } from './import-onnx.js';
