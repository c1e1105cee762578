import { GatedError, runtimeError } from '@gated/core';
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import * as ortWeb from 'onnxruntime-web';

/** What the backend uses of an onnxruntime module: onnxruntime-web and onnxruntime-node both
 * export it (onnxruntime-common's InferenceSession API). */
export interface OrtModule {
  readonly InferenceSession: {
    create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession>;
  };
  readonly Tensor: {
    new (type: 'float32', data: Float32Array, dims: readonly number[]): Tensor;
    new (type: 'int32', data: Int32Array, dims: readonly number[]): Tensor;
  };
  readonly env: {
    readonly versions: { readonly web?: string; readonly node?: string };
    readonly wasm: { numThreads?: number };
  };
}

export const RUNTIME_NAMES = ['onnxruntime-web', 'onnxruntime-node'] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

/** The backend's name on each runtime: the conformance column and the bench row. */
export const BACKEND_NAMES: Readonly<Record<RuntimeName, string>> = {
  'onnxruntime-web': 'onnx',
  'onnxruntime-node': 'onnx@node',
};

/** One onnxruntime as the backend runs it: the module, and what differs between the two. */
export interface OnnxRuntime {
  readonly name: RuntimeName;
  readonly backendName: string;
  readonly ort: OrtModule;
  /** Options of every session. Both: graph optimizations off (its passes find nothing to improve
   * in these graphs and cost more than linear time in the node count, see the README) and
   * onnxruntime's own log fatal-only (every failure reaches the caller as a GatedError). */
  readonly sessionOptions: InferenceSession.SessionOptions;
  /** Most f32 values one run may need (weights, X and every layer's buffers), and what bounds it. */
  readonly maxValues: number;
  readonly memory: string;
  /** onnxruntime-node's output data may be a view on native memory: copied before it is returned. */
  readonly copyOutputs: boolean;
}

/** onnxruntime-web's wasm build has a 32-bit memory: 4 GiB for weights and every buffer of a run. */
const WASM_MEMORY_VALUES = 2 ** 30;
/** Native memory is bounded by the machine; a run is held to core's bound on one request of
 * every backend (2^31 f32 values, 8 GiB), so that a huge request is refused before it allocates. */
const NATIVE_REQUEST_VALUES = 2 ** 31;

const COMMON_SESSION_OPTIONS: InferenceSession.SessionOptions = {
  graphOptimizationLevel: 'disabled',
  logSeverityLevel: 4,
};

export function isOrtModule(value: unknown): value is OrtModule {
  const m = value as Partial<OrtModule> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.InferenceSession?.create === 'function' &&
    typeof m.Tensor === 'function' &&
    typeof m.env?.versions === 'object'
  );
}

/** Which onnxruntime a module is: this package's own onnxruntime-web, else what its env says
 * (onnxruntime-node sets env.versions.node). Null when it says neither. */
export function runtimeOfModule(ort: OrtModule): RuntimeName | null {
  if ((ort as unknown) === ortWeb) return 'onnxruntime-web';
  if (ort.env.versions.node !== undefined) return 'onnxruntime-node';
  if (ort.env.versions.web !== undefined) return 'onnxruntime-web';
  return null;
}

/** Which runtime the options chose: by name, or a module the caller imported (of that runtime). */
export interface RuntimeChoice {
  readonly name: RuntimeName;
  readonly module?: OrtModule;
}

/** The runtime a backend runs on. `numThreads`: onnxruntime-web's wasm threads (process-wide,
 * before its first session), onnxruntime-node's intra-op threads (per session). */
export async function openRuntime(
  choice: RuntimeChoice,
  numThreads: number | undefined,
): Promise<OnnxRuntime> {
  const { name } = choice;
  const ort = choice.module ?? (name === 'onnxruntime-web' ? ortWeb : await importOnnxruntimeNode());
  if (name === 'onnxruntime-web') {
    if (numThreads !== undefined) ort.env.wasm.numThreads = numThreads;
    return {
      name,
      backendName: BACKEND_NAMES[name],
      ort,
      sessionOptions: { ...COMMON_SESSION_OPTIONS, executionProviders: ['wasm'] },
      maxValues: WASM_MEMORY_VALUES,
      memory: "onnxruntime-web's 4 GiB wasm memory",
      copyOutputs: false,
    };
  }
  return {
    name,
    backendName: BACKEND_NAMES[name],
    ort,
    sessionOptions: {
      ...COMMON_SESSION_OPTIONS,
      executionProviders: ['cpu'],
      ...(numThreads === undefined ? {} : { intraOpNumThreads: numThreads }),
    },
    maxValues: NATIVE_REQUEST_VALUES,
    memory: 'the 8 GiB gated lets one request take',
    copyOutputs: true,
  };
}

/** In a variable, not a literal: bundlers leave the import alone, so a browser bundle never
 * sees onnxruntime-node; only Node, asked for it, loads it. */
const ONNXRUNTIME_NODE = 'onnxruntime-node';

const HOW_TO_INSTALL =
  'install it next to @gated/backend-onnx (npm install onnxruntime-node; an optional peer dependency), ' +
  "or use runtime 'onnxruntime-web'";

/** onnxruntime-node, imported on first use; BACKEND_UNAVAILABLE saying how to install it when it
 * is not installed, or why it did not load (its native binary). `specifier` is for tests. */
export async function importOnnxruntimeNode(specifier = ONNXRUNTIME_NODE): Promise<OrtModule> {
  const what = `backend 'onnx@node': ${specifier}`;
  if (typeof process === 'undefined' || !process.versions?.node) {
    throw new GatedError(
      'BACKEND_UNAVAILABLE',
      `${what} runs only in Node (native code): in a browser use runtime 'onnxruntime-web'`,
    );
  }
  let module: unknown;
  try {
    module = await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
  } catch (error) {
    if (isNotInstalled(error, specifier)) {
      throw new GatedError('BACKEND_UNAVAILABLE', `${what} is not installed: ${HOW_TO_INSTALL}`, {
        cause: error,
      });
    }
    throw runtimeError('BACKEND_UNAVAILABLE', `${what} could not be loaded`, error);
  }
  // Node's ESM view of this CommonJS package has named exports; a bundler may give only default.
  const ort = isOrtModule(module) ? module : (module as { default?: unknown }).default;
  if (!isOrtModule(ort)) {
    throw new GatedError(
      'BACKEND_UNAVAILABLE',
      `${what}: expected a module exporting InferenceSession, Tensor and env, received one without them`,
    );
  }
  return ort;
}

function isNotInstalled(error: unknown, specifier: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    message.includes(`'${specifier}'`)
  );
}
