import {
  ALL_CAPABILITIES,
  type Backend,
  type Capabilities,
  type Feature,
  GatedError,
  Lifecycle,
  prepareCompile,
  type RecurrentConfig,
  type RecurrentModel,
  type Weights,
} from '@gated/core';
import { exportOnnx } from '@gated/onnx';
import * as ort from 'onnxruntime-web';
import { OnnxModel } from './onnx-model.js';

export interface OnnxBackendOptions {
  /** onnxruntime-web wasm threads. Process-wide in onnxruntime (`ort.env.wasm.numThreads`), and
   * only effective before the first session is created; left to onnxruntime's default when absent. */
  numThreads?: number;
}

/** What one ONNX graph of standard LSTM/GRU/RNN nodes cannot express: LSTM projection (no
 * such input in ONNX) and gate traces (the ops output only Y, Y_h, Y_c). */
const UNSUPPORTED_FEATURES: ReadonlySet<Feature> = new Set(['projection', 'returnGates']);

export const ONNX_CAPABILITIES: Capabilities = Object.freeze({
  cells: ALL_CAPABILITIES.cells,
  activations: ALL_CAPABILITIES.activations,
  features: ALL_CAPABILITIES.features.filter((f) => !UNSUPPORTED_FEATURES.has(f)),
});

/** A backend that exports each compiled model to ONNX (one LSTM/GRU/RNN node per layer, see
 * @gated/onnx) and runs it with onnxruntime-web on its wasm execution provider. */
export async function createOnnxBackend(options: OnnxBackendOptions = {}): Promise<Backend> {
  const name = 'onnx';
  if (options.numThreads !== undefined) {
    if (!Number.isInteger(options.numThreads) || options.numThreads < 1) {
      throw new GatedError(
        'INVALID_CONFIG',
        `options.numThreads: expected a positive integer, received ${options.numThreads}`,
      );
    }
    ort.env.wasm.numThreads = options.numThreads;
  }
  const lifecycle = new Lifecycle(`backend '${name}'`);
  return {
    name,
    capabilities: ONNX_CAPABILITIES,
    async compile(config: RecurrentConfig, weights: Weights): Promise<RecurrentModel> {
      lifecycle.assertAlive();
      const normalized = prepareCompile(name, ONNX_CAPABILITIES, config, weights);
      const bytes = exportOnnx(normalized, weights, { initialState: true, sequenceLens: true });
      let session: ort.InferenceSession;
      try {
        session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new GatedError(
          'BACKEND_UNAVAILABLE',
          `backend 'onnx': expected onnxruntime-web to load the model, received: ${reason}`,
          { cause: error },
        );
      }
      lifecycle.assertAlive();
      const model = new OnnxModel(name, ONNX_CAPABILITIES, normalized, session, () =>
        lifecycle.release(model),
      );
      return lifecycle.own(model);
    },
    dispose(): void {
      lifecycle.dispose();
    },
  };
}
