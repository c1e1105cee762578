// Page for scripts/check-browser.mjs: runs the whole conformance catalogue (cases and contract
// checks) on navigator.gpu with the backend as an app bundled by Vite loads it, and publishes a
// summary in `document.body.dataset.result` (or the failure in `dataset.error`). `?recurrence=`
// and `?weightFormat=` select the backend's options, as the Node rows do.
import { createWebGpuBackend, type WebGpuBackendOptions } from '@gated/backend-webgpu';
import { runConformance } from '@gated/conformance';

async function run(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const options: WebGpuBackendOptions = {};
  const recurrence = params.get('recurrence');
  if (recurrence === 'persistent' || recurrence === 'per-step') options.recurrence = recurrence;
  const f16 = params.get('weightFormat') === 'f16';
  if (f16) options.weightFormat = 'f16';
  const started = performance.now();
  const createBackend = () => createWebGpuBackend(options);
  const backend = await createBackend();
  const report = await runConformance(backend, {
    createBackend,
    ...(f16 ? { tolerance: { abs: 1e-2, rel: 1e-2, reason: 'weights stored as f16' } } : {}),
  });
  const failures = [
    ...report.cases
      .filter((c) => c.status !== 'pass')
      .map((c) => `${c.case}: ${c.status} ${c.message ?? ''}`.slice(0, 400)),
    // A contract check is 'unsupported' only where the backend declares it lacks the feature
    // (here: the training checks, capabilities.training is false); the summary counts them.
    ...report.contract
      .filter((c) => c.status !== 'pass' && !(c.status === 'unsupported' && !backend.capabilities.training))
      .map((c) => `contract ${c.name}: ${c.status} ${c.message ?? ''}`.slice(0, 400)),
  ];
  document.body.dataset.result = JSON.stringify({
    backend: report.backend,
    adapter: backend.adapterName,
    cases: report.cases.length,
    contractChecks: report.contract.length,
    summary: report.summary,
    contractSummary: report.contractSummary,
    maxAbsError: Math.max(...report.cases.map((c) => (Number.isNaN(c.maxAbsError) ? 0 : c.maxAbsError))),
    failures,
    stats: backend.stats,
    seconds: (performance.now() - started) / 1000,
  });
  backend.dispose();
}

run().catch((error: unknown) => {
  document.body.dataset.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
});
