import { GatedError } from '@gated/core';
import type { Tf } from './tfjs-module.js';

/** The parts of tfjs' engine a backend switch touches. */
interface Engine {
  backendName: string;
  backendInstance?: unknown;
  pendingBackendInit?: unknown;
  readonly registry: Record<string, unknown>;
}

/** Backend instances whose kernels were set up by a full tf.setBackend here. */
const setUp = new WeakSet<object>();

/** tfjs runs every op on its one current backend. Each kernel call of a gated backend runs
 * with its own tfjs backend current, and puts back the one it found, so that two gated
 * backends on different tfjs backends (and the caller's own tfjs code) can share a process.
 * When the backend is already current (the usual case) nothing happens. */
export function onBackend<T>(tf: Tf, name: string, run: () => T): T {
  const engine = tf.engine() as unknown as Engine;
  const previous = engine.backendName;
  if (previous === name) return run();
  switchTo(tf, engine, name, false);
  try {
    return run();
  } finally {
    if (previous && engine.registry[previous] !== undefined) switchTo(tf, engine, previous, true);
  }
}

/** tf.setBackend re-runs every kernel's setup of the backend (cwrap for each of wasm's) and
 * costs 0.3 ms on wasm, more than a stream step. A backend whose kernels are set up already
 * (the one that was current, or ours after its first full switch) becomes current by the
 * engine's own two fields instead; tf.setBackend does the same and then repeats the setup.
 * Switching to an initialised backend is synchronous either way. */
function switchTo(tf: Tf, engine: Engine, name: string, wasCurrent: boolean): void {
  const instance = engine.registry[name];
  if (instance === undefined) {
    throw new GatedError(
      'BACKEND_UNAVAILABLE',
      `backend-tfjs: expected tfjs backend '${name}' to be registered and initialised, received '${engine.backendName}' current (was it removed?)`,
    );
  }
  const quick =
    (wasCurrent || setUp.has(instance as object)) &&
    engine.pendingBackendInit == null &&
    'backendInstance' in engine;
  if (quick) {
    engine.backendName = name;
    engine.backendInstance = instance;
    return;
  }
  tf.setBackend(name).catch(() => {});
  if (engine.backendName !== name) {
    throw new GatedError(
      'BACKEND_UNAVAILABLE',
      `backend-tfjs: expected tfjs backend '${name}' to be current, received '${engine.backendName}'`,
    );
  }
  setUp.add(instance as object);
}
