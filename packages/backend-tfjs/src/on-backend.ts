import { GatedError } from '@gated/core';
import type { Tf } from './tfjs-module.js';

/** tfjs runs every op on its one current backend. Each kernel call of a gated backend runs
 * with its own tfjs backend current, and puts back the one it found, so that two gated
 * backends on different tfjs backends (and the caller's own tfjs code) can share one process.
 * Switching to an initialised backend is synchronous in tfjs; when the backend is already
 * current (the usual case) nothing happens. */
export function onBackend<T>(tf: Tf, name: string, run: () => T): T {
  const engine = tf.engine();
  const previous = engine.backendName;
  if (previous === name) return run();
  switchTo(tf, name);
  try {
    return run();
  } finally {
    if (previous && engine.registry[previous] !== undefined) switchTo(tf, previous);
  }
}

function switchTo(tf: Tf, name: string): void {
  const engine = tf.engine();
  if (engine.registry[name] !== undefined) {
    // For an initialised backend the switch happens before setBackend's promise is returned.
    tf.setBackend(name).catch(() => {});
  }
  if (engine.backendName !== name || engine.registry[name] === undefined) {
    throw new GatedError(
      'BACKEND_UNAVAILABLE',
      `backend-tfjs: expected tfjs backend '${name}' to be current, received '${tf.engine().backendName}' (was it removed?)`,
    );
  }
}
