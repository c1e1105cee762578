// Test-only backends (excluded from the build): the reference, broken on purpose.
import {
  assertCapable,
  type Backend,
  type Capabilities,
  normalizeConfig,
  type RecurrentModel,
} from '@gated/core';
import { createReferenceBackend } from './reference/reference-backend.js';

/** The reference with every forward output shifted by `delta`. */
export function perturbedBackend(delta: number): Backend {
  const inner = createReferenceBackend();
  return {
    name: 'perturbed',
    capabilities: inner.capabilities,
    async compile(config, weights): Promise<RecurrentModel> {
      const model = await inner.compile(config, weights);
      return {
        config: model.config,
        stream: (options) => model.stream(options),
        dispose: () => model.dispose(),
        async forward(x, options) {
          const result = await model.forward(x, options);
          return {
            ...result,
            output: { data: result.output.data.map((v) => v + delta), shape: result.output.shape },
          };
        },
      };
    },
    dispose: () => inner.dispose(),
  };
}

/** The reference restricted to `capabilities` at compile time, declaring `declared`. */
export function restrictedBackend(
  capabilities: Capabilities,
  declared: Capabilities = capabilities,
): Backend {
  const inner = createReferenceBackend();
  return {
    name: 'restricted',
    capabilities: declared,
    compile: async (config, weights) => {
      assertCapable('restricted', capabilities, normalizeConfig(config));
      return inner.compile(config, weights);
    },
    dispose: () => inner.dispose(),
  };
}
