// Test-only backends (excluded from the build): the reference, broken on purpose.
import {
  ALL_CAPABILITIES,
  assertCapable,
  type Backend,
  type Capabilities,
  defineKernelBackend,
  type Kernels,
  type LooseRecurrentConfig,
  normalizeConfig,
  type RecurrentModel,
  type SequenceJob,
  type Weights,
} from '@gated/core';
import { createReferenceBackend, referenceKernels } from './reference/reference-backend.js';
import type { ReferenceLayer } from './reference/reference-layer.js';

type ReferenceKernels = Kernels<Float64Array, ReferenceLayer>;

/** A backend over `inner` whose compiled models `wrap` changes. */
function wrapModels(inner: Backend, name: string, wrap: (model: RecurrentModel) => RecurrentModel): Backend {
  const compile = async (config: LooseRecurrentConfig, weights: Weights) =>
    wrap(await inner.compile(config, weights));
  return {
    name,
    capabilities: inner.capabilities,
    compile: compile as Backend['compile'],
    dispose: () => inner.dispose(),
  };
}

/** The reference kernels behind core's orchestration, `runSequence` followed by `after`. */
function kernelBackend(
  name: string,
  after: (job: SequenceJob<Float64Array, ReferenceLayer>) => void = () => {},
  capabilities: Capabilities = ALL_CAPABILITIES,
): Backend {
  const kernels: ReferenceKernels = referenceKernels();
  const runSequence = kernels.runSequence.bind(kernels);
  return defineKernelBackend({
    name,
    capabilities,
    kernels: {
      ...kernels,
      runSequence: (job) => {
        runSequence(job);
        after(job);
      },
    },
  });
}

/** Every (t, b) output row a sequence job wrote. */
function forEachOutputRow(job: SequenceJob<Float64Array, ReferenceLayer>, visit: (row: number) => void) {
  for (let row = 0; row < job.steps * job.batch; row++) visit(row * job.outputStride + job.outputOffset);
}

/** The reference with every forward output shifted by `delta` (streams and gates stay right). */
export function perturbedBackend(delta: number): Backend {
  return wrapModels(createReferenceBackend(), 'perturbed', (model) => ({
    config: model.config,
    stream: (options) => model.stream(options),
    recordForward: (x, options) => model.recordForward(x, options),
    dispose: () => model.dispose(),
    async forward(x, options) {
      const result = await model.forward(x, options);
      return {
        ...result,
        output: { data: result.output.data.map((v) => v + delta), shape: result.output.shape },
      };
    },
  }));
}

/** Kernels whose every output value is off by `delta`: forward and stream are wrong alike. */
export function wrongKernelsBackend(delta: number): Backend {
  return kernelBackend('wrong-kernels', (job) =>
    forEachOutputRow(job, (start) => {
      for (let j = 0; j < job.layer.outputSize; j++) job.output[start + j] += delta;
    }),
  );
}

/** Kernels that write NaN into unit 1 of every (t, b) output row of each forward direction. */
export function nanBackend(): Backend {
  return kernelBackend('nan', (job) => {
    if (job.layer.outputSize > 1 && job.outputOffset === 0)
      forEachOutputRow(job, (start) => {
        job.output[start + 1] = Number.NaN;
      });
  });
}

/** Right forwards, but every stream's step 2 is off by `delta` in unit 1 of batch element 0. */
export function wrongStreamBackend(delta: number): Backend {
  return wrapModels(kernelBackend('wrong-stream'), 'wrong-stream', (model) => ({
    config: model.config,
    forward: (x, options) => model.forward(x, options),
    recordForward: (x, options) => model.recordForward(x, options),
    dispose: () => model.dispose(),
    stream(options) {
      const stream = model.stream(options);
      let t = 0;
      return {
        batch: stream.batch,
        state: () => stream.state(),
        dispose: () => stream.dispose(),
        async reset(state) {
          t = 0;
          await stream.reset(state);
        },
        async step(x) {
          const y = await stream.step(x);
          if (t++ !== 2) return y;
          const data = y.data.slice();
          data[1] += delta;
          return { data, shape: y.shape };
        },
      };
    },
  }));
}

/** The reference kernels without gate traces: capabilities lack 'returnGates'. */
export function noGatesBackend(): Backend {
  return kernelBackend('no-gates', undefined, {
    ...ALL_CAPABILITIES,
    features: ALL_CAPABILITIES.features.filter((f) => f !== 'returnGates'),
  });
}

/** A model whose dispose does nothing: forward and stream keep working after it. */
export function wrongDisposeBackend(): Backend {
  return wrapModels(kernelBackend('wrong-dispose'), 'wrong-dispose', (model) => ({
    config: model.config,
    forward: (x, options) => model.forward(x, options),
    stream: (options) => model.stream(options),
    recordForward: (x, options) => model.recordForward(x, options),
    dispose: () => {},
  }));
}

/** The reference restricted to `capabilities` at compile time, declaring `declared`. */
export function restrictedBackend(
  capabilities: Capabilities,
  declared: Capabilities = capabilities,
): Backend {
  const inner = createReferenceBackend();
  const compile = async (config: LooseRecurrentConfig, weights: Weights) => {
    assertCapable('restricted', capabilities, normalizeConfig(config));
    return inner.compile(config, weights);
  };
  return {
    name: 'restricted',
    capabilities: declared,
    compile: compile as Backend['compile'],
    dispose: () => inner.dispose(),
  };
}

/** Kernels whose second gate trace (f for an LSTM) of every reverse direction is off by
 * `delta` at t 1, b 1, unit 2. */
export function wrongReverseGateBackend(delta: number): Backend {
  return kernelBackend('wrong-reverse-gate', (job) => {
    if (!job.reverse || job.gates === null || job.steps < 2 || job.batch < 2) return;
    const { steps: T, batch: B } = job;
    const H = job.layer.hiddenSize;
    job.gates[T * B * H + (1 * B + 1) * H + 2] += delta;
  });
}
