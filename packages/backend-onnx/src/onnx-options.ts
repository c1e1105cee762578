import { availableParallelism, checkBackendOptions, MAX_THREADS, threadCountOption } from '@gated/core';

export interface OnnxBackendOptions {
  /** onnxruntime-web wasm threads: a positive integer, clamped (with one warning) to what this
   * machine runs in parallel. Process-wide in onnxruntime (`ort.env.wasm.numThreads`) and only
   * effective before its first session; left to onnxruntime's default when absent. */
  numThreads?: number;
}

const OPTION_KEYS = ['numThreads'] as const;

/** The validated options: INVALID_CONFIG for anything but an object of known keys, or a
 * numThreads that is not a positive integer. */
export async function readOnnxOptions(backend: string, options: unknown): Promise<{ numThreads?: number }> {
  const checked = checkBackendOptions(backend, options, OPTION_KEYS);
  if (checked.numThreads === undefined) return {};
  return {
    numThreads: threadCountOption(backend, 'numThreads', checked.numThreads, await machineParallelism()),
  };
}

/** In a variable, not a literal: bundlers then leave the import as it is; only Node reaches it. */
const NODE_OS = 'node:os';

/** Threads this machine runs in parallel: Node's os.availableParallelism() (Node 20 has no
 * navigator), else navigator.hardwareConcurrency; where neither says, no clamp. */
async function machineParallelism(): Promise<number> {
  if (typeof process !== 'undefined' && process.versions?.node) {
    const os: typeof import('node:os') = await import(/* webpackIgnore: true */ /* @vite-ignore */ NODE_OS);
    return os.availableParallelism?.() ?? os.cpus().length;
  }
  return availableParallelism(MAX_THREADS);
}
