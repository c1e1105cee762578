import {
  ALL_CAPABILITIES,
  type Backend,
  checkBackendOptions,
  defineKernelBackend,
  GatedError,
  integerOption,
  machineParallelism,
  threadCountOption,
} from '@gated/core';
import type { GatedWasmExports } from './exports.js';
import { WasmHeap } from './heap.js';
import { loadModule } from './load-module.js';
import { parallelKernels } from './parallel-kernels.js';
import { createWasmKernels } from './wasm-kernels.js';
import { startWorkers } from './worker-pool.js';

export interface WasmBackendOptions {
  /** Threads for the kernels (default 1), at most what the machine runs in parallel (more is
   * clamped, with one warning: each thread costs memory and contention). With n > 1, n − 1
   * workers share the backend's memory and each step's GEMMs and gate math are split between
   * them; results are bit-identical to one thread. Where SharedArrayBuffer or workers are
   * unavailable (browsers without cross-origin isolation) the backend runs on one thread and
   * warns once. */
  threads?: number;
  /** Initial size of the backend's wasm memory in 64 KiB pages, an integer in [1, 65536]
   * (default 16 = 1 MiB); it grows on demand up to 4 GiB. */
  memoryPages?: number;
}

const OPTION_KEYS = ['threads', 'memoryPages'] as const;

export interface WasmBackend extends Backend {
  /** Threads the kernels actually run on. */
  readonly threads: number;
  /** Current size of this backend's wasm memory in bytes. */
  readonly memoryBytes: number;
  /** Whether the kernels use relaxed SIMD (fused multiply-add), where the engine supports it. */
  readonly relaxedSimd: boolean;
}

let warnedThreads = false;

function warnOnce(message: string): void {
  if (warnedThreads) return;
  warnedThreads = true;
  console.warn(`@gated/backend-wasm: ${message}`);
}

interface Runtime {
  readonly memory: WebAssembly.Memory;
  readonly wasm: GatedWasmExports;
  readonly threads: number;
  readonly relaxedSimd: boolean;
  readonly stop: () => void;
}

/** A backend running AssemblyScript SIMD kernels in one wasm memory of its own. */
export async function createWasmBackend(options?: WasmBackendOptions): Promise<WasmBackend> {
  const checked = checkBackendOptions('wasm', options, OPTION_KEYS);
  const pages = integerOption('wasm', 'memoryPages', checked.memoryPages, {
    min: 1,
    max: 65536,
    fallback: 16,
  });
  const threads = threadCountOption('wasm', 'threads', checked.threads, await machineParallelism());
  const runtime = (threads > 1 ? await startThreaded(pages, threads) : null) ?? (await startSingle(pages));
  const heap = new WasmHeap(runtime.memory, runtime.wasm.heapBase());
  const kernels = createWasmKernels(runtime.wasm, heap, runtime.threads);
  const dispose = kernels.dispose?.bind(kernels);
  kernels.dispose = () => {
    dispose?.();
    runtime.stop();
  };
  const backend = defineKernelBackend({ name: 'wasm', capabilities: ALL_CAPABILITIES, kernels });
  return Object.defineProperties(backend, {
    threads: { value: runtime.threads, enumerable: true },
    memoryBytes: { get: () => heap.byteLength, enumerable: true },
    relaxedSimd: { value: runtime.relaxedSimd, enumerable: true },
  }) as WasmBackend;
}

async function startSingle(pages: number): Promise<Runtime> {
  const { module, relaxedSimd } = await loadModule(false);
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages });
  } catch (cause) {
    throw new GatedError(
      'BACKEND_UNAVAILABLE',
      `options.memoryPages: could not reserve ${pages} pages of wasm memory`,
      { cause },
    );
  }
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return {
    memory,
    wasm: instance.exports as unknown as GatedWasmExports,
    threads: 1,
    relaxedSimd,
    stop: () => {},
  };
}

/** The threaded runtime, or null (after one warning) where this environment cannot run it. */
async function startThreaded(pages: number, threads: number): Promise<Runtime | null> {
  if (
    typeof SharedArrayBuffer === 'undefined' ||
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false
  ) {
    warnOnce(
      `options.threads = ${threads} needs SharedArrayBuffer (cross-origin isolation in browsers); running on 1 thread`,
    );
    return null;
  }
  try {
    const { module, relaxedSimd } = await loadModule(true);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: 65536, shared: true });
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const workers = await startWorkers(threads - 1, module, memory);
    const wasm = parallelKernels(instance.exports as unknown as GatedWasmExports, workers);
    return {
      memory,
      wasm,
      threads,
      relaxedSimd,
      stop: () => {
        for (const worker of workers) worker.terminate();
      },
    };
  } catch (error) {
    warnOnce(
      `options.threads = ${threads}: could not start worker threads (${String(error)}); running on 1 thread`,
    );
    return null;
  }
}
