export { fromTfjsLayersModel, type KerasModelLayer } from './from-tfjs-layers-model.js';
export { type LoadTfjsLayersModelOptions, loadTfjsLayersModel } from './load-tfjs-layers-model.js';
export type { WeightData, WeightSpec } from './weight-data.js';
