import type { Backend, RecurrentModel } from '../backend.js';
import { assertCapable, type Capabilities } from '../capabilities.js';
import { type AnyRecurrentConfig, type NormalizedConfig, normalizeConfig } from '../config.js';
import { GatedError } from '../errors.js';
import type { Kernels } from '../kernels.js';
import { validateWeights, type Weights } from '../weights.js';
import { Lifecycle } from './lifecycle.js';
import { KernelModel, packLayers } from './model.js';

/** Validation every backend's compile starts with: a normalized config that this backend
 * can run, and core's own snapshot of weights that match it (taken synchronously, before
 * compile returns its promise; a backend packs and uploads only this snapshot). */
export function prepareCompile(
  backendName: string,
  capabilities: Capabilities,
  config: AnyRecurrentConfig,
  weights: Weights,
): { config: NormalizedConfig; weights: Weights } {
  const normalized = normalizeConfig(config);
  const snapshot = validateWeights(normalized, weights);
  assertCapable(backendName, capabilities, normalized);
  return { config: normalized, weights: snapshot };
}

export interface KernelBackendDefinition<B, L> {
  readonly name: string;
  readonly capabilities: Capabilities;
  readonly kernels: Kernels<B, L>;
}

/** A Backend from a set of kernels: core does validation and orchestration, the kernels the math. */
export function defineKernelBackend<B, L>(definition: KernelBackendDefinition<B, L>): Backend {
  const { name, capabilities, kernels } = definition;
  if (capabilities.training && (!kernels.tapeLength || !kernels.runSequenceBackward)) {
    throw new GatedError(
      'BACKEND_UNAVAILABLE',
      `backend '${name}': capabilities.training is true but its kernels lack tapeLength/runSequenceBackward`,
    );
  }
  const lifecycle = new Lifecycle(`backend '${name}'`);
  return {
    name,
    capabilities,
    async compile(config: AnyRecurrentConfig, weights: Weights): Promise<RecurrentModel> {
      lifecycle.assertAlive();
      const prepared = prepareCompile(name, capabilities, config, weights);
      const model = new KernelModel(
        name,
        capabilities,
        kernels,
        prepared.config,
        packLayers(kernels, prepared.config, prepared.weights),
      );
      const dispose = model.dispose.bind(model);
      model.dispose = () => {
        lifecycle.release(model);
        dispose();
      };
      return lifecycle.own(model);
    },
    dispose(): void {
      if (lifecycle.dispose()) kernels.dispose?.();
    },
  };
}
