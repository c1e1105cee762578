export { type AdamOptions, adam, adamW } from './adam.js';
export { clipGradNorm } from './clip-grad-norm.js';
export {
  type CrossEntropyOptions,
  type CrossEntropyResult,
  crossEntropy,
  type LossResult,
} from './cross-entropy.js';
export { type Dataset, epochOrders, gatherBatch } from './dataset.js';
export type { FitOptions, History, Metrics, Progress } from './fit.js';
export { LinearHead, type LinearHeadGradients } from './linear-head.js';
export { type MeanSquaredErrorOptions, meanSquaredError } from './mean-squared-error.js';
export type { Optimizer, Parameters } from './optimizer.js';
export type { Readout } from './readout.js';
export { trainerToSafetensors } from './save.js';
export { type SgdOptions, sgd } from './sgd.js';
export {
  type Batch,
  createTrainer,
  type EvaluateResult,
  type GradientsResult,
  type LossName,
  type StepResult,
  Trainer,
  type TrainerOptions,
} from './trainer.js';
export { sliceSteps, type TruncatedResult, trainTruncated } from './truncated-bptt.js';
