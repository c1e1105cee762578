export { type BasicLstmCellWeights, fromBasicLstmCell, toBasicLstmCell } from './basic-lstm-cell.js';
export { fromKeras, groupKerasWeights, type KerasLayerWeights, toKeras } from './keras.js';
export { fromOnnx, type OnnxRecurrentWeights, toOnnx } from './onnx.js';
export * from './tfjs-layers/index.js';
