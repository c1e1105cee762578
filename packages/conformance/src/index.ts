export { CASES, type CaseSelection, findCase, selectCases } from './cases/catalogue.js';
export {
  buildCaseData,
  type CaseData,
  type CaseOptions,
  type ConformanceCase,
  defineCase,
  seedFromName,
} from './cases/conformance-case.js';
export {
  buildGradientCaseData,
  GRADIENT_CASES,
  type GradientCase,
  type GradientCaseData,
  type GradientCaseSelection,
  selectGradientCases,
  type UpstreamPart,
} from './cases/gradient-cases.js';
export * from './reference/index.js';
export {
  type ReferenceOptions,
  type ReferenceResult,
  referenceForward,
} from './reference/reference-forward.js';
export {
  type ReferenceLayer,
  referenceLayer,
  referenceLayerFromWeights,
} from './reference/reference-layer.js';
export { formatMarkdown } from './report/format-markdown.js';
export { formatMatrix } from './report/format-matrix.js';
export { reportsToJson } from './report/report-json.js';
export {
  caseFeatures,
  forwardFeatures,
  missingCapabilities,
  missingForCheck,
  missingForForward,
} from './runner/case-needs.js';
export { type BackendComparison, compareBackends } from './runner/compare-backends.js';
export {
  CONTRACT_CHECKS,
  type ContractCheck,
  missingForContractCheck,
  runContractCheck,
} from './runner/contract-checks.js';
export {
  finiteDifference,
  type LossInputs,
  referenceLoss,
  sampleIndices,
} from './runner/finite-differences.js';
export * from './runner/report.js';
export { runCase } from './runner/run-case.js';
export { type ConformanceOptions, runConformance } from './runner/run-conformance.js';
export { NOT_TRAINING, referenceGradientsOf, runGradientCase } from './runner/run-gradient-case.js';
export { TRAINING_CHECKS } from './runner/training-checks.js';
export * from './tolerance.js';
