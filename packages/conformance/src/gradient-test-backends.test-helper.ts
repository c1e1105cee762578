// Test-only backends for the gradient checks (excluded from the build): the reference backend,
// its training broken on purpose.
import {
  ALL_CAPABILITIES,
  type Backend,
  defineKernelBackend,
  GatedError,
  type Gradients,
  INFERENCE_CAPABILITIES,
  type LooseRecurrentConfig,
  type RecordedForward,
  type RecurrentModel,
  type Weights,
} from '@gated/core';
import { createReferenceBackend, referenceKernels } from './reference/reference-backend.js';

/** The reference kernels declaring training: false, so core refuses recordForward. */
export function inferenceOnlyBackend(): Backend {
  return defineKernelBackend({
    name: 'inference-only',
    capabilities: INFERENCE_CAPABILITIES,
    kernels: referenceKernels(),
  });
}

/** A backend over the reference whose models' recordForward `wrap` replaces. */
function wrapRecordings(
  name: string,
  wrap: (
    model: RecurrentModel,
    x: Parameters<RecurrentModel['recordForward']>[0],
    options: Parameters<RecurrentModel['recordForward']>[1],
  ) => Promise<RecordedForward>,
): Backend {
  const inner = createReferenceBackend();
  const compile = async (config: LooseRecurrentConfig, weights: Weights) => {
    const model = await inner.compile(config, weights);
    return {
      config: model.config,
      forward: (x, options) => model.forward(x, options),
      stream: (options) => model.stream(options),
      recordForward: (x, options) => wrap(model, x, options),
      dispose: () => model.dispose(),
    } satisfies RecurrentModel;
  };
  return {
    name,
    capabilities: ALL_CAPABILITIES,
    compile: compile as Backend['compile'],
    dispose: () => inner.dispose(),
  };
}

/** Gradients with `edit` applied to copies of their arrays. */
function edited(
  gradients: Gradients,
  edit: (g: { weights: Record<string, Float32Array>; x: Float32Array }) => void,
): Gradients {
  const weights = Object.fromEntries(Object.entries(gradients.weights).map(([k, v]) => [k, v.slice()]));
  const x = gradients.x.data.slice();
  edit({ weights, x });
  return { ...gradients, weights, x: { data: x, shape: gradients.x.shape } };
}

/** The reference, with ∂L/∂`tensor` element `index` off by `delta` in every backward. */
export function wrongGradientBackend(delta: number, tensor: string, index: number): Backend {
  return wrapRecordings('wrong-gradient', async (model, x, options) => {
    const recording = await model.recordForward(x, options);
    return {
      ...recording,
      backward: async (upstream) =>
        edited(await recording.backward(upstream), (g) => {
          const values = tensor === 'x' ? g.x : g.weights[tensor];
          if (values && index < values.length) values[index] += delta;
        }),
    };
  });
}

/** The reference, but each backward adds the previous one's weight gradients (a gradient buffer
 * that is never cleared). */
export function accumulatingBackend(): Backend {
  return wrapRecordings('accumulating', async (model, x, options) => {
    const recording = await model.recordForward(x, options);
    let previous: Gradients | null = null;
    return {
      ...recording,
      backward: async (upstream) => {
        const before = previous;
        const result = edited(await recording.backward(upstream), (g) => {
          for (const [name, values] of Object.entries(g.weights))
            values.forEach((_, k) => {
              values[k] += before?.weights[name][k] ?? 0;
            });
        });
        previous = result;
        return result;
      },
    };
  });
}

/** Declares training, but recordForward is UNSUPPORTED for every model. */
export function refusingBackend(): Backend {
  return wrapRecordings('refusing', async () => {
    throw new GatedError('UNSUPPORTED', 'model.recordForward: not today');
  });
}

/** Trains everything, thresholdedRelu included (zero gradients where the reference refuses). */
export function permissiveBackend(): Backend {
  return wrapRecordings('permissive', async (model, x, options) => {
    try {
      return await model.recordForward(x, options);
    } catch {
      const result = await model.forward(x, options);
      const zeros = {
        weights: {},
        x: { data: new Float32Array(x.data.length), shape: x.shape },
        h0: result.h,
      };
      return { ...result, backward: async () => zeros, release: () => {} } as RecordedForward;
    }
  });
}

/** The reference, but release() frees nothing: backward keeps working after it. */
export function neverReleasingBackend(): Backend {
  return wrapRecordings('never-releasing', async (model, x, options) => ({
    ...(await model.recordForward(x, options)),
    release: () => {},
  }));
}

/** The reference, but backward reads its upstream a tick after it was called (no snapshot). */
export function lazyUpstreamBackend(): Backend {
  return wrapRecordings('lazy-upstream', async (model, x, options) => {
    const recording = await model.recordForward(x, options);
    return {
      ...recording,
      backward: async (upstream) => {
        await Promise.resolve();
        return recording.backward(upstream);
      },
    };
  });
}
