import { ACTIVATION_NAMES, type ActivationName, TRAINING_UNSUPPORTED_ACTIVATIONS } from './activations.js';
import { CELL_TYPES, type CellType, type NormalizedConfig } from './config.js';
import { GatedError } from './errors.js';

/** Options a backend may or may not implement. The goal for every backend is all of them. */
export type Feature =
  | 'multiLayer'
  | 'bidirectional'
  | 'noBias'
  | 'projection'
  | 'peephole'
  | 'coupledInputForget'
  | 'resetAfter'
  | 'resetBefore'
  | 'clip'
  | 'seqLens'
  | 'initialState'
  | 'returnGates'
  | 'stream';

export const FEATURES: readonly Feature[] = [
  'multiLayer',
  'bidirectional',
  'noBias',
  'projection',
  'peephole',
  'coupledInputForget',
  'resetAfter',
  'resetBefore',
  'clip',
  'seqLens',
  'initialState',
  'returnGates',
  'stream',
];

/** What a backend can run. Anything outside it is an UNSUPPORTED error, shown as such by
 * the conformance matrix (never counted as a pass). */
export interface Capabilities {
  readonly cells: readonly CellType[];
  readonly activations: readonly ActivationName[];
  readonly features: readonly Feature[];
  /** Whether models can record a forward and run its backward (`model.recordForward`), for
   * every cell, activation and feature listed above (bar the activations without a derivative,
   * TRAINING_UNSUPPORTED_ACTIVATIONS). A kernel backend that trains implements `tapeLength`
   * and `runSequenceBackward`. */
  readonly training: boolean;
}

export const ALL_CAPABILITIES: Capabilities = Object.freeze({
  cells: CELL_TYPES,
  activations: ACTIVATION_NAMES,
  features: FEATURES,
  training: true,
});

/** Everything a backend can run, for one that does not train. */
export const INFERENCE_CAPABILITIES: Capabilities = Object.freeze({ ...ALL_CAPABILITIES, training: false });

/** The features a config needs from its backend at compile time. */
export function configFeatures(config: NormalizedConfig): Feature[] {
  const f: Feature[] = [];
  if (config.numLayers > 1) f.push('multiLayer');
  if (config.bidirectional) f.push('bidirectional');
  if (!config.bias) f.push('noBias');
  if (config.projSize > 0) f.push('projection');
  if (config.cell === 'lstm' && config.peephole) f.push('peephole');
  if (config.cell === 'lstm' && config.coupledInputForget) f.push('coupledInputForget');
  if (config.cell === 'gru') f.push(config.resetAfter ? 'resetAfter' : 'resetBefore');
  if (config.clip !== null) f.push('clip');
  return f;
}

/** The activation names a config uses. */
export function configActivations(config: NormalizedConfig): ActivationName[] {
  const { gate, candidate, cell } = config.activations;
  if (config.cell === 'rnn') return [candidate.name];
  if (config.cell === 'gru') return [gate.name, candidate.name];
  return [gate.name, candidate.name, cell.name];
}

/** Throws UNSUPPORTED naming the first thing `config` needs that `capabilities` lacks. */
export function assertCapable(
  backendName: string,
  capabilities: Capabilities,
  config: NormalizedConfig,
): void {
  if (!capabilities.cells.includes(config.cell)) {
    throw new GatedError(
      'UNSUPPORTED',
      `config.cell: backend '${backendName}' supports ${capabilities.cells.join(', ')}, received '${config.cell}'`,
    );
  }
  for (const name of configActivations(config)) {
    if (!capabilities.activations.includes(name)) {
      throw new GatedError(
        'UNSUPPORTED',
        `config.activations: backend '${backendName}' does not support activation '${name}'`,
      );
    }
  }
  for (const feature of configFeatures(config)) assertFeature(backendName, capabilities, feature);
}

/** Throws UNSUPPORTED unless a model of `config` can stream on this backend: the backend
 * declares 'stream' and the model is unidirectional (the reverse direction needs the whole
 * sequence). */
export function assertCanStream(
  backendName: string,
  capabilities: Capabilities,
  config: NormalizedConfig,
): void {
  assertFeature(backendName, capabilities, 'stream', 'model.stream');
  if (config.bidirectional) {
    throw new GatedError(
      'UNSUPPORTED',
      'model.stream: expected a unidirectional model, received bidirectional: true (the reverse direction needs the whole sequence)',
    );
  }
}

export function assertFeature(
  backendName: string,
  capabilities: Capabilities,
  feature: Feature,
  argument = 'config',
): void {
  if (!capabilities.features.includes(feature)) {
    throw new GatedError(
      'UNSUPPORTED',
      `${argument}: backend '${backendName}' does not support '${feature}'`,
    );
  }
}

/** Throws UNSUPPORTED unless models of `config` can be trained on this backend: the backend
 * declares `training`, and no activation of the config lacks a derivative. */
export function assertCanTrain(
  backendName: string,
  capabilities: Capabilities,
  config: NormalizedConfig,
): void {
  if (!capabilities.training) {
    throw new GatedError(
      'UNSUPPORTED',
      `model.recordForward: backend '${backendName}' does not train (capabilities.training is false); train on @gated/backend-wasm or @gated/backend-ts and run the weights here`,
    );
  }
  for (const name of configActivations(config)) {
    if (TRAINING_UNSUPPORTED_ACTIVATIONS.includes(name)) {
      throw new GatedError(
        'UNSUPPORTED',
        `config.activations: '${name}' has no derivative to train through (it jumps from 0 to alpha at alpha), received a model using it`,
      );
    }
  }
}
