import { type GatedError, runtimeError } from '@gated/core';

/** A device call's errors, known once the device has processed it: null, or the GatedError the
 * call that waits for it (a readback) rejects with. Never rejects itself. */
export type ErrorCheck = Promise<GatedError | null>;

/** What the device has said about itself: lost, or (on a device of its own) an error nobody
 * captured. Every call checks it first, so a lost device fails the next call at once instead of
 * hanging it, and a readback in flight races `lost`. */
export class DeviceHealth {
  private lostError: GatedError | null = null;
  private uncaptured: GatedError | null = null;
  private closed = false;
  /** Resolves (never rejects) with the error every call gets once the device is lost. */
  readonly lost: Promise<GatedError>;
  private readonly onUncaptured: ((event: Event) => void) | null = null;

  constructor(
    private readonly device: GPUDevice,
    owned: boolean,
  ) {
    this.lost = device.lost.then((info) => {
      this.lostError ??= runtimeError(
        'BACKEND_UNAVAILABLE',
        `webgpu: the device was lost (${info.reason ?? 'unknown'})`,
        info.message || 'no reason given',
      );
      return this.lostError;
    });
    // A shared device's uncaptured errors belong to its owner (this backend's own calls run in
    // error scopes); on a device of its own, one means something failed that no call awaited.
    if (owned) {
      this.onUncaptured = (event: Event) => {
        const error = (event as GPUUncapturedErrorEvent).error;
        this.uncaptured ??= runtimeError(
          'BACKEND_UNAVAILABLE',
          'webgpu: uncaptured device error',
          error?.message || 'no message',
        );
      };
      device.addEventListener('uncapturederror', this.onUncaptured);
    }
  }

  /** Throws the device's loss, or the first uncaptured error since the last call (once). */
  assertUsable(): void {
    if (this.lostError !== null && !this.closed) throw this.lostError;
    const uncaptured = this.uncaptured;
    if (uncaptured !== null) {
      this.uncaptured = null;
      throw uncaptured;
    }
  }

  /** Stops listening (the backend is disposed: a loss from here on is its own destroy()). */
  close(): void {
    this.closed = true;
    if (this.onUncaptured) this.device.removeEventListener('uncapturederror', this.onUncaptured);
  }
}

const SCOPES: readonly GPUErrorFilter[] = ['internal', 'out-of-memory', 'validation'];

/** Outstanding error checks of device calls. `collect` takes those added so far and reports
 * the first failure among them to the call that submitted their work; checks that pass drop
 * out at once, so calls that are never read back cost no memory. */
export class ErrorChecks {
  private readonly pending = new Set<ErrorCheck>();

  add(check: ErrorCheck): void {
    if (this.pending.has(check)) return;
    this.pending.add(check);
    void check.then((error) => {
      if (error === null) this.pending.delete(check);
    });
  }

  /** The first failure among the checks added so far (null when all pass); they are removed. */
  collect(): Promise<GatedError | null> {
    const taken = [...this.pending];
    this.pending.clear();
    return Promise.all(taken).then((errors) => errors.find((error) => error !== null) ?? null);
  }
}

/** Runs `run` inside error scopes for every kind of device error and returns it with the check
 * of their outcome. Scopes open and close in one synchronous stretch, so a user sharing the
 * device never sees them interleave with scopes of their own. */
export function scoped<T>(device: GPUDevice, what: string, run: () => T): { value: T; check: ErrorCheck } {
  for (const filter of SCOPES) device.pushErrorScope(filter);
  let value: T;
  try {
    value = run();
  } catch (error) {
    // The scopes still close; their check is settled and dropped, the throw is what counts.
    void popScopes(device, what);
    throw error;
  }
  return { value, check: popScopes(device, what) };
}

function popScopes(device: GPUDevice, what: string): ErrorCheck {
  const popped = SCOPES.map(() => device.popErrorScope());
  return Promise.all(popped).then(
    (errors) => {
      const error = errors.find((e) => e !== null);
      if (!error) return null;
      const kind = error.constructor?.name === 'GPUOutOfMemoryError' ? 'out of memory' : 'device error';
      return runtimeError('BACKEND_UNAVAILABLE', `webgpu: ${what}: ${kind}`, error.message || kind);
    },
    (error: unknown) => runtimeError('BACKEND_UNAVAILABLE', `webgpu: ${what}`, error),
  );
}
