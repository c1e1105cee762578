import {
  type Capabilities,
  configActivations,
  configFeatures,
  type Feature,
  normalizeConfig,
} from '@gated/core';
import type { ConformanceCase } from '../cases/conformance-case.js';
import type { CheckName } from './report.js';

/** What a check needs beyond the case's forward. */
const CHECK_FEATURES: Readonly<Partial<Record<CheckName, Feature>>> = {
  gates: 'returnGates',
  stream: 'stream',
};

/** The features a case's forward uses: the config's, seqLens and an initial state. */
export function forwardFeatures(testCase: ConformanceCase): Feature[] {
  const features = configFeatures(normalizeConfig(testCase.config));
  const { options } = testCase;
  if (options.seqLens) features.push('seqLens');
  if (options.h0 || options.c0) features.push('initialState');
  return features;
}

/** Every feature a case uses: its forward's, plus gate traces and streams. */
export function caseFeatures(testCase: ConformanceCase): Feature[] {
  const features = forwardFeatures(testCase);
  if (testCase.options.returnGates) features.push('returnGates');
  if (!normalizeConfig(testCase.config).bidirectional) features.push('stream');
  return features;
}

function missingFor(capabilities: Capabilities, testCase: ConformanceCase, features: Feature[]): string[] {
  const config = normalizeConfig(testCase.config);
  const missing: string[] = [];
  if (!capabilities.cells.includes(config.cell)) missing.push(`cell '${config.cell}'`);
  for (const name of configActivations(config)) {
    if (!capabilities.activations.includes(name)) missing.push(`activation '${name}'`);
  }
  for (const feature of features) {
    if (!capabilities.features.includes(feature)) missing.push(`feature '${feature}'`);
  }
  return [...new Set(missing)];
}

/** What the case needs that `capabilities` does not declare, e.g. ["feature 'peephole'"]; empty
 * when the backend declares everything. */
export function missingCapabilities(capabilities: Capabilities, testCase: ConformanceCase): string[] {
  return missingFor(capabilities, testCase, caseFeatures(testCase));
}

/** What the case's forward needs that `capabilities` does not declare: without it the case is
 * unsupported as a whole. */
export function missingForForward(capabilities: Capabilities, testCase: ConformanceCase): string[] {
  return missingFor(capabilities, testCase, forwardFeatures(testCase));
}

/** What one check of the case needs that `capabilities` does not declare: the forward's needs,
 * plus 'returnGates' for the gates check and 'stream' for the stream check. */
export function missingForCheck(
  capabilities: Capabilities,
  testCase: ConformanceCase,
  check: CheckName,
): string[] {
  const feature = CHECK_FEATURES[check];
  return missingFor(
    capabilities,
    testCase,
    feature ? [...forwardFeatures(testCase), feature] : forwardFeatures(testCase),
  );
}
