import {
  checkBackendOptions,
  describeValue,
  GatedError,
  machineParallelism,
  threadCountOption,
} from '@gated/core';
import {
  isOrtModule,
  type OrtModule,
  RUNTIME_NAMES,
  type RuntimeChoice,
  runtimeOfModule,
} from './onnx-runtime.js';

export interface OnnxBackendOptions {
  /** The onnxruntime that runs the graphs: 'onnxruntime-web' (default; wasm, Node and browsers),
   * 'onnxruntime-node' (native CPU kernels, Node only; an optional peer dependency, imported on
   * first use), or either module as imported by the caller (`import * as ort from
   * 'onnxruntime-node'`). */
  runtime?: 'onnxruntime-web' | 'onnxruntime-node' | OrtModule;
  /** Threads: a positive integer, clamped (with one warning) to what this machine runs in
   * parallel; onnxruntime's default when absent. onnxruntime-web: its wasm threads,
   * process-wide (`ort.env.wasm.numThreads`) and only effective before its first session.
   * onnxruntime-node: each session's intra-op threads (`intraOpNumThreads`). */
  numThreads?: number;
}

const OPTION_KEYS = ['runtime', 'numThreads'] as const;

const RUNTIMES_EXPECTED = `${RUNTIME_NAMES.map((n) => `'${n}'`).join(' or ')}, or an onnxruntime module (import * as ort from 'onnxruntime-node')`;

/** The validated options: INVALID_CONFIG for anything but an object of known keys, a runtime
 * that is neither name nor module of either, or a numThreads that is not a positive integer. */
export async function readOnnxOptions(
  backend: string,
  options: unknown,
): Promise<{ runtime: RuntimeChoice; numThreads?: number }> {
  const checked = checkBackendOptions(backend, options, OPTION_KEYS);
  const runtime = runtimeOption(backend, checked.runtime);
  if (checked.numThreads === undefined) return { runtime };
  return {
    runtime,
    numThreads: threadCountOption(backend, 'numThreads', checked.numThreads, await machineParallelism()),
  };
}

function runtimeOption(backend: string, value: unknown): RuntimeChoice {
  if (value === undefined) return { name: 'onnxruntime-web' };
  if ((RUNTIME_NAMES as readonly unknown[]).includes(value)) return { name: value as RuntimeChoice['name'] };
  if (isOrtModule(value)) {
    const name = runtimeOfModule(value);
    if (name) return { name, module: value };
    throw new GatedError(
      'INVALID_CONFIG',
      `${backend} options.runtime: expected ${RUNTIMES_EXPECTED}, received a module whose env.versions names neither onnxruntime-web nor onnxruntime-node`,
    );
  }
  throw new GatedError(
    'INVALID_CONFIG',
    `${backend} options.runtime: expected ${RUNTIMES_EXPECTED}, received ${describeValue(value)}`,
  );
}
