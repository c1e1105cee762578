export { cellStep, gruStep, lstmStep, rnnStep, type StepResult } from './cell-step.js';
export { createReferenceBackend } from './reference-backend.js';
export { type ReferenceOptions, type ReferenceResult, referenceForward } from './reference-forward.js';
export {
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
