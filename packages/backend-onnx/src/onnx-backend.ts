import {
  ALL_CAPABILITIES,
  type AnyRecurrentConfig,
  type Backend,
  type Capabilities,
  type Feature,
  Lifecycle,
  type NormalizedConfig,
  prepareCompile,
  type RecurrentModel,
  type Weights,
} from '@gated/core';
import { exportOnnx } from '@gated/onnx';
import type { InferenceSession } from 'onnxruntime-web';
import { createSession, OnnxGraph, releaseSession } from './onnx-graph.js';
import { OnnxModel } from './onnx-model.js';
import { type OnnxBackendOptions, readOnnxOptions } from './onnx-options.js';
import { openRuntime } from './onnx-runtime.js';

export type { OnnxBackendOptions } from './onnx-options.js';

/** What one ONNX graph of standard LSTM/GRU/RNN nodes cannot express: LSTM projection (no
 * such input in ONNX) and gate traces (the ops output only Y, Y_h, Y_c). */
const UNSUPPORTED_FEATURES: ReadonlySet<Feature> = new Set(['projection', 'returnGates']);

export const ONNX_CAPABILITIES: Capabilities = Object.freeze({
  cells: ALL_CAPABILITIES.cells,
  activations: ALL_CAPABILITIES.activations,
  features: ALL_CAPABILITIES.features.filter((f) => !UNSUPPORTED_FEATURES.has(f)),
  training: false,
});

/** The largest finite f32. */
const F32_MAX = 3.4028234663852886e38;

/** The config the graph is exported with: without a user clip, clip = the largest f32. A
 * pre-activation beyond the f32 range (finite weights times a huge input) is +-Infinity in f32;
 * clamped to +-F32_MAX every bounded activation saturates as the float64 reference does
 * (onnxruntime's RNN op gives NaN for softsign(Infinity) otherwise). The clamp changes no finite
 * value. */
function exportedConfig(config: NormalizedConfig): NormalizedConfig {
  return config.clip === null ? { ...config, clip: F32_MAX } : config;
}

/** A backend that exports each compiled model to ONNX (one LSTM/GRU/RNN node per layer, see
 * @gated/onnx) and runs it with onnxruntime-web on its wasm execution provider ('onnx'), or with
 * onnxruntime-node's native CPU kernels ('onnx@node'). */
export async function createOnnxBackend(options?: OnnxBackendOptions): Promise<Backend> {
  const { runtime: choice, numThreads } = await readOnnxOptions('onnx', options);
  const runtime = await openRuntime(choice, numThreads);
  const name = runtime.backendName;
  const lifecycle = new Lifecycle(`backend '${name}'`);
  return {
    name,
    capabilities: ONNX_CAPABILITIES,
    async compile(config: AnyRecurrentConfig, weights: Weights): Promise<RecurrentModel> {
      lifecycle.assertAlive();
      // Synchronous, before the promise is returned: the config and weights are core's snapshot.
      const prepared = prepareCompile(name, ONNX_CAPABILITIES, config, weights);
      const bytes = exportOnnx(exportedConfig(prepared.config), prepared.weights, {
        initialState: true,
        sequenceLens: true,
      });
      let session: InferenceSession;
      try {
        session = await createSession(runtime, bytes);
      } catch (error) {
        lifecycle.assertAlive();
        throw error;
      }
      // dispose() ran while onnxruntime was loading: nobody will own this session, free it now.
      if (lifecycle.isDisposed) {
        await releaseSession(session);
        lifecycle.assertAlive(); // throws DISPOSED
      }
      const weightCount = Object.values(prepared.weights).reduce((n, w) => n + w.length, 0);
      const graph = new OnnxGraph(prepared.config, runtime, session, weightCount);
      const model = new OnnxModel(name, ONNX_CAPABILITIES, graph, () => lifecycle.release(model));
      return lifecycle.own(model);
    },
    dispose(): void {
      lifecycle.dispose();
    },
  };
}
