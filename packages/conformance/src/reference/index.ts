export {
  cellStep,
  gruStep,
  lstmStep,
  rnnStep,
  type StepIntermediates,
  type StepResult,
} from './cell-step.js';
export {
  cellStepBackward,
  gruStepBackward,
  type LayerGradients,
  lstmStepBackward,
  type ReferenceBackwardLayer,
  rnnStepBackward,
  type StepGradients,
  withDerivatives,
} from './cell-step-backward.js';
export {
  type RecordedStep,
  readStepTape,
  recordCellStep,
  type StepValues,
  stepTapeLength,
  writeStepTape,
} from './cell-step-tape.js';
export { createReferenceBackend } from './reference-backend.js';
export { type ReferenceGradients, type ReferenceUpstream, referenceBackward } from './reference-backward.js';
export { type ReferenceOptions, type ReferenceResult, referenceForward } from './reference-forward.js';
export {
  type LayerTensorSet,
  type LayerTensors,
  type ReferenceLayer,
  referenceLayer,
  referenceLayerFromWeights,
} from './reference-layer.js';
export {
  type ReferenceSequenceInput,
  type ReferenceSequenceResult,
  runReferenceSequence,
} from './reference-sequence.js';
export {
  type ReferenceSequenceBackwardInput,
  runReferenceSequenceBackward,
} from './reference-sequence-backward.js';
export { recordReferenceSequence, sequenceTapeLength } from './reference-sequence-tape.js';
