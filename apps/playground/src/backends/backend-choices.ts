import type { Backend } from '@gated/core';

/** One entry of the backend picker: how to create it, and why it may not be there. */
export interface BackendChoice {
  readonly id: string;
  readonly label: string;
  /** Resolves the backend, or rejects with the reason it is unavailable here. */
  create(): Promise<Backend>;
}

/** A WebGPU adapter, or the reason there is none (no navigator.gpu, or it gives no adapter). */
async function requireWebGpu(): Promise<void> {
  if (!('gpu' in navigator) || !navigator.gpu) {
    throw new Error('this browser has no navigator.gpu (WebGPU is off or unsupported)');
  }
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error('navigator.gpu gave no adapter (no usable GPU or driver)');
}

/** Wasm threads need SharedArrayBuffer, which needs cross-origin isolation (COOP/COEP). */
export const wasmThreads = (): number =>
  globalThis.crossOriginIsolated ? Math.max(1, Math.min(2, navigator.hardwareConcurrency || 1)) : 1;

async function tfjsBackend(name: 'webgl' | 'webgpu'): Promise<Backend> {
  if (name === 'webgpu') await requireWebGpu();
  const [tf, { createTfjsBackend }] = await Promise.all([
    import('@tensorflow/tfjs-core'),
    import('@gated/backend-tfjs'),
  ]);
  // The app registers the tfjs backends it wants (no registration by a library's side effect).
  if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
  else await import('@tensorflow/tfjs-backend-webgpu');
  return createTfjsBackend({ tf, backend: name });
}

/** Every backend the page offers, in picker order; heavy ones are imported on first use. */
export const BACKEND_CHOICES: readonly BackendChoice[] = [
  {
    id: 'ts',
    label: 'ts — pure TypeScript',
    create: async () => (await import('@gated/backend-ts')).createTsBackend(),
  },
  {
    id: 'wasm',
    label: 'wasm — WebAssembly SIMD',
    create: async () => (await import('@gated/backend-wasm')).createWasmBackend({ threads: wasmThreads() }),
  },
  {
    id: 'webgpu',
    label: 'webgpu — WGSL kernels',
    create: async () => {
      await requireWebGpu();
      return (await import('@gated/backend-webgpu')).createWebGpuBackend();
    },
  },
  { id: 'tfjs-webgl', label: 'tfjs on WebGL', create: () => tfjsBackend('webgl') },
  { id: 'tfjs-webgpu', label: 'tfjs on WebGPU', create: () => tfjsBackend('webgpu') },
  {
    id: 'onnx',
    label: 'onnx — onnxruntime-web',
    create: async () =>
      (await import('@gated/backend-onnx')).createOnnxBackend({ numThreads: wasmThreads() }),
  },
];

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
