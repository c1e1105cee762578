import type { BackendComparison } from '../runner/compare-backends.js';
import type { ConformanceReport } from '../runner/report.js';

/** JSON has no Infinity or NaN: non-finite numbers become strings ("Infinity", "NaN"). */
function finiteOrString(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

/** The reports (without the raw outputs) and the cross-backend comparison as JSON text. */
export function reportsToJson(reports: readonly ConformanceReport[], comparison: BackendComparison): string {
  const backends = reports.map(({ outputs: _outputs, ...rest }) => rest);
  return `${JSON.stringify({ backends, crossBackend: comparison }, finiteOrString, 2)}\n`;
}
