import { GatedError } from '@gated/core';

/** A compiled kernel module and whether it is the relaxed-SIMD build. */
export interface KernelModule {
  readonly module: WebAssembly.Module;
  readonly relaxedSimd: boolean;
}

const cache = new Map<boolean, Promise<KernelModule>>();

/**
 * The kernel module, compiled once per realm, for a plain (threads = false) or shared memory.
 * Order: the relaxed-SIMD build where the engine compiles it, else the SIMD128 build, each read
 * from the package's own file next to this one (Node: node:fs; browsers: fetch of the
 * bundler-rewritten `new URL(..., import.meta.url)`), else the SIMD128 build's inline base64 copy.
 */
export function loadModule(threads: boolean): Promise<KernelModule> {
  let loading = cache.get(threads);
  if (!loading) {
    const name = threads ? 'gated-threads' : 'gated';
    loading = compileFile(
      name === 'gated'
        ? new URL('./gated-relaxed.wasm', import.meta.url)
        : new URL('./gated-threads-relaxed.wasm', import.meta.url),
    )
      .then((module) => ({ module, relaxedSimd: true }))
      .catch(async () => ({
        module: await compileFile(
          name === 'gated'
            ? new URL('./gated.wasm', import.meta.url)
            : new URL('./gated-threads.wasm', import.meta.url),
        ).catch(() => compileInline(threads)),
        relaxedSimd: false,
      }))
      .catch((cause) => {
        cache.delete(threads);
        throw new GatedError(
          'BACKEND_UNAVAILABLE',
          `backend 'wasm': could not load ${name}.wasm (${String(cause)})`,
          { cause },
        );
      });
    cache.set(threads, loading);
  }
  return loading;
}

/** In a variable, not a literal: bundlers then leave the import as it is (Vite's dev server
 * would swap in a browser stub and warn on every start); only Node reaches it. */
const NODE_FS = 'node:fs/promises';

// Each URL is written out literally above so that bundlers see and emit every file.
async function compileFile(url: URL): Promise<WebAssembly.Module> {
  if (url.protocol === 'file:') {
    const { readFile }: typeof import('node:fs/promises') = await import(
      /* webpackIgnore: true */ /* @vite-ignore */ NODE_FS
    );
    return WebAssembly.compile(new Uint8Array(await readFile(url)));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

async function compileInline(threads: boolean): Promise<WebAssembly.Module> {
  const base64 = threads
    ? (await import('./wasm-threads-inline.generated.js')).GATED_THREADS_WASM_BASE64
    : (await import('./wasm-inline.generated.js')).GATED_WASM_BASE64;
  return WebAssembly.compile(decodeBase64(base64));
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
