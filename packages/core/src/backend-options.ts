import { describeValue, fieldPath, GatedError } from './errors.js';
import { nearestName } from './nearest-name.js';

/** Validates a backend factory's `options` argument: undefined means {}, anything but a plain
 * object, and any key outside `known`, is INVALID_CONFIG naming the option. Every backend
 * validates its options through this, so a bad option reads the same on each. */
export function checkBackendOptions(
  backend: string,
  options: unknown,
  known: readonly string[],
): Readonly<Record<string, unknown>> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new GatedError(
      'INVALID_CONFIG',
      `${backend} options: expected an object { ${known.join(', ')} }, received ${describeValue(options)}`,
    );
  }
  const record = options as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (known.includes(key) || record[key] === undefined) continue;
    const near = nearestName(key, known);
    throw new GatedError(
      'INVALID_CONFIG',
      `${backend} ${fieldPath('options', key)}: expected one of ${known.join(', ') || '(none)'}${near ? ` (did you mean ${near}?)` : ''}, received an unknown option`,
    );
  }
  return record;
}

/** An integer option in [min, max] (undefined gives `fallback`), else INVALID_CONFIG. */
export function integerOption(
  backend: string,
  argument: string,
  value: unknown,
  range: { min: number; max: number; fallback: number },
): number {
  if (value === undefined) return range.fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw new GatedError(
      'INVALID_CONFIG',
      `${backend} options.${argument}: expected an integer in [${range.min}, ${range.max}], received ${describeValue(value)}`,
    );
  }
  return value;
}

/** Most threads any backend accepts before clamping; more than this is never useful for one
 * recurrent model and costs memory per thread. */
export const MAX_THREADS = 256;

const warned = new Set<string>();

/** A thread count: a positive integer (else INVALID_CONFIG), clamped with one warning per
 * backend and value to `available` (what the machine can run in parallel, e.g. Node's
 * os.availableParallelism() or navigator.hardwareConcurrency). More threads than cores only
 * add memory and contention. */
export function threadCountOption(
  backend: string,
  argument: string,
  value: unknown,
  available: number,
  fallback = 1,
): number {
  const requested = integerOption(backend, argument, value, { min: 1, max: MAX_THREADS, fallback });
  const limit = Math.max(1, Math.min(MAX_THREADS, Math.floor(available) || 1));
  if (requested <= limit) return requested;
  const key = `${backend}:${argument}:${requested}:${limit}`;
  if (!warned.has(key)) {
    warned.add(key);
    console.warn(
      `${backend}: options.${argument} = ${requested} is more than this machine runs in parallel (${limit}); using ${limit}`,
    );
  }
  return limit;
}

/** In a variable, not a literal: bundlers then leave the import as it is; only Node reaches it. */
const NODE_OS = 'node:os';

/** Threads this machine runs in parallel, for `threadCountOption`: Node's
 * os.availableParallelism() (Node 20 has no navigator), else navigator.hardwareConcurrency;
 * where neither says, MAX_THREADS (no clamp). */
export async function machineParallelism(): Promise<number> {
  if (typeof process !== 'undefined' && process.versions?.node) {
    const os: typeof import('node:os') = await import(/* webpackIgnore: true */ /* @vite-ignore */ NODE_OS);
    return os.availableParallelism?.() ?? os.cpus().length;
  }
  const n = (globalThis as { navigator?: { hardwareConcurrency?: unknown } }).navigator?.hardwareConcurrency;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : MAX_THREADS;
}
