import { GatedError } from '../errors.js';

/** Tracks whether something was disposed, and what it owns that must go with it. */
export class Lifecycle {
  private disposed = false;
  private readonly children = new Set<{ dispose(): void }>();

  constructor(private readonly what: string) {}

  get isDisposed(): boolean {
    return this.disposed;
  }

  assertAlive(): void {
    if (this.disposed)
      throw new GatedError(
        'DISPOSED',
        `${this.what}: expected a live object, received one that was disposed`,
      );
  }

  own<T extends { dispose(): void }>(child: T): T {
    this.children.add(child);
    return child;
  }

  release(child: { dispose(): void }): void {
    this.children.delete(child);
  }

  /** Returns false when already disposed (dispose is idempotent). */
  dispose(): boolean {
    if (this.disposed) return false;
    this.disposed = true;
    for (const child of [...this.children]) child.dispose();
    this.children.clear();
    return true;
  }
}
