import {
  type Capabilities,
  configActivations,
  configFeatures,
  type Feature,
  normalizeConfig,
} from '@gated/core';
import type { ConformanceCase } from '../cases/conformance-case.js';

/** Every feature a case uses: the config's, plus forward options and streams. */
export function caseFeatures(testCase: ConformanceCase): Feature[] {
  const config = normalizeConfig(testCase.config);
  const features = configFeatures(config);
  const { options } = testCase;
  if (options.seqLens) features.push('seqLens');
  if (options.h0 || options.c0) features.push('initialState');
  if (options.returnGates) features.push('returnGates');
  if (!config.bidirectional) features.push('stream');
  return features;
}

/** What the case needs that `capabilities` does not declare, e.g. ["feature 'peephole'"]; empty
 * when the backend declares everything. */
export function missingCapabilities(capabilities: Capabilities, testCase: ConformanceCase): string[] {
  const config = normalizeConfig(testCase.config);
  const missing: string[] = [];
  if (!capabilities.cells.includes(config.cell)) missing.push(`cell '${config.cell}'`);
  for (const name of configActivations(config)) {
    if (!capabilities.activations.includes(name)) missing.push(`activation '${name}'`);
  }
  for (const feature of caseFeatures(testCase)) {
    if (!capabilities.features.includes(feature)) missing.push(`feature '${feature}'`);
  }
  return [...new Set(missing)];
}
