// Page for scripts/check-browser.mjs: runs the whole conformance catalogue (cases and contract
// checks) on gated-on-tfjs over the tfjs backend named by `?backend=` (webgl, webgpu), loaded as
// an app bundled by Vite loads it: the app imports tfjs-core and registers the tfjs backends it
// wants. Publishes a summary in `document.body.dataset.result` (or the failure in
// `dataset.error`), with tf.memory() before the first compile and after the last dispose.
import { createTfjsBackend } from '@gated/backend-tfjs';
import { referenceForward, runConformance } from '@gated/conformance';
import { createRandom, loadTfjsLayersModel, tensor, uniformArray } from '@gated/core';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';

async function run(): Promise<void> {
  const name = new URLSearchParams(location.search).get('backend') ?? 'webgl';
  const started = performance.now();
  const createBackend = () => createTfjsBackend({ tf, backend: name });
  const backend = await createBackend();
  const before = tf.memory();
  const report = await runConformance(backend, { createBackend });
  const keras = await kerasModel(backend);
  backend.dispose();
  const after = tf.memory();
  const failures = [
    ...report.cases
      .filter((c) => c.status !== 'pass')
      .map((c) => `${c.case}: ${c.status} ${c.message ?? ''}`.slice(0, 600)),
    // A contract check is 'unsupported' only where the backend declares it lacks the feature
    // (here: the training checks, capabilities.training is false); the summary counts them.
    ...report.contract
      .filter((c) => c.status !== 'pass' && !(c.status === 'unsupported' && !backend.capabilities.training))
      .map((c) => `contract ${c.name}: ${c.status} ${c.message ?? ''}`.slice(0, 600)),
  ];
  if (!(keras.maxAbsError <= 1e-5)) {
    failures.push(`keras/model.json: max |error| ${keras.maxAbsError} against the float64 reference`);
  }
  if (after.numTensors !== before.numTensors || after.numBytes !== before.numBytes) {
    failures.push(
      `tf.memory(): ${before.numTensors} tensors / ${before.numBytes} bytes before the catalogue, ${after.numTensors} / ${after.numBytes} after`,
    );
  }
  document.body.dataset.result = JSON.stringify({
    backend: report.backend,
    webglVersion: name === 'webgl' ? tf.env().getNumber('WEBGL_VERSION') : null,
    adapter: name === 'webgpu' ? adapterName() : null,
    floatTextures: name === 'webgl' ? tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED') : null,
    cases: report.cases.length,
    contractChecks: report.contract.length,
    summary: report.summary,
    contractSummary: report.contractSummary,
    maxAbsError: Math.max(...report.cases.map((c) => (Number.isNaN(c.maxAbsError) ? 0 : c.maxAbsError))),
    memory: { before: before.numTensors, after: after.numTensors },
    keras,
    failures,
    seconds: (performance.now() - started) / 1000,
  });
}

/** The Keras model the checker serves next to the page (a GRU with reset_after=True), read with
 * core's loader through fetch, relative to the page, and run against the float64 reference. */
async function kerasModel(backend: Awaited<ReturnType<typeof createTfjsBackend>>) {
  const layers = await loadTfjsLayersModel('keras/model.json');
  let maxAbsError = 0;
  for (const layer of layers) {
    const { inputSize } = layer.config;
    const x = tensor(uniformArray(2 * 5 * inputSize, -1, 1, createRandom(3)), [2, 5, inputSize]);
    const model = await backend.compile(layer.config, layer.weights);
    const { output } = await model.forward(x);
    model.dispose();
    const expected = referenceForward(layer.config, layer.weights, x).output;
    for (let k = 0; k < expected.length; k++) {
      maxAbsError = Math.max(maxAbsError, Math.abs(output.data[k] - expected[k]));
    }
  }
  return { layers: layers.map((l) => `${l.name} (${l.config.cell})`), maxAbsError };
}

/** The WebGPU adapter tfjs' webgpu backend runs on, as it reports it. */
function adapterName(): string {
  const backend = tf.engine().findBackend('webgpu') as { adapterInfo?: Record<string, unknown> } | null;
  const info = backend?.adapterInfo ?? {};
  return (
    ['vendor', 'architecture', 'description']
      .map((key) => info[key])
      .filter(Boolean)
      .join(' ') || 'unknown'
  );
}

run().catch((error: unknown) => {
  document.body.dataset.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
});
