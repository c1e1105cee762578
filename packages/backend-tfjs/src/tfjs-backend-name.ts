import { describeValue, GatedError, runtimeError } from '@gated/core';
import type { Tf } from './tfjs-module.js';

/** The tfjs backends this package knows how to register when the caller has not: each is an
 * optional peer dependency, imported on first use by a specifier bundlers skip (a browser app
 * imports the backend it wants itself, which registers it). */
const BACKEND_PACKAGES: Readonly<Record<string, string>> = {
  cpu: '@tensorflow/tfjs-backend-cpu',
  wasm: '@tensorflow/tfjs-backend-wasm',
  webgl: '@tensorflow/tfjs-backend-webgl',
  webgpu: '@tensorflow/tfjs-backend-webgpu',
};

async function registerKnownBackend(tf: Tf, name: string): Promise<void> {
  const specifier = BACKEND_PACKAGES[name];
  if (specifier === undefined || tf.findBackendFactory(name) !== null) return;
  try {
    await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
  } catch (error) {
    throw runtimeError(
      'BACKEND_UNAVAILABLE',
      `backend-tfjs options.backend: tfjs backend '${name}' is not registered and ${specifier} did not load (install it and import it before createTfjsBackend)`,
      error,
    );
  }
}

/** Which tfjs backend a gated backend runs on: the one asked for (registered and initialised
 * here when needed), or tf's current one. tf's current backend is left as it was. */
export async function initialiseTfjsBackend(tf: Tf, requested: unknown): Promise<string> {
  if (requested !== undefined && (typeof requested !== 'string' || requested === '')) {
    throw new GatedError(
      'INVALID_CONFIG',
      `backend-tfjs options.backend: expected a tfjs backend name such as 'cpu', 'wasm', 'webgl' or 'webgpu', received ${describeValue(requested)}`,
    );
  }
  if (requested === undefined) {
    try {
      await tf.ready();
    } catch (error) {
      throw runtimeError(
        'BACKEND_UNAVAILABLE',
        "backend-tfjs: expected a tfjs backend to run on (register one, e.g. import '@tensorflow/tfjs-backend-cpu', or pass options.backend)",
        error,
      );
    }
    return tf.getBackend();
  }
  await registerKnownBackend(tf, requested);
  if (tf.findBackendFactory(requested) === null) {
    throw new GatedError(
      'BACKEND_UNAVAILABLE',
      `backend-tfjs options.backend: expected a registered tfjs backend (${tf.engine().backendNames().join(', ') || 'none registered'}), received ${describeValue(requested)}`,
    );
  }
  const previous = tf.engine().backendName;
  let ready: boolean;
  try {
    ready = await tf.setBackend(requested);
  } catch (error) {
    throw runtimeError(
      'BACKEND_UNAVAILABLE',
      `backend-tfjs: tfjs backend '${requested}' failed to initialise`,
      error,
    );
  } finally {
    if (previous && previous !== requested && tf.findBackend(previous)) await tf.setBackend(previous);
  }
  if (!ready) {
    throw new GatedError(
      'BACKEND_UNAVAILABLE',
      `backend-tfjs: expected tfjs backend '${requested}' to initialise, received a failure from tf.setBackend`,
    );
  }
  return requested;
}
