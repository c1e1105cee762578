import type { Backend, RecurrentModel } from '@gated/core';
import type { LoadedModel } from '../models/loaded-model.js';
import { BACKEND_CHOICES, describeError } from './backend-choices.js';

export type BackendStatus =
  | { readonly state: 'idle' }
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly name: string }
  | { readonly state: 'unavailable'; readonly reason: string };

/** Creates each backend once, on first use, and keeps one compiled model per backend for the
 * current model (a new model disposes the old compiled ones). Failures are remembered with
 * their reason, so the page can say why a backend is missing. */
export class BackendPool {
  private readonly backends = new Map<string, Promise<Backend>>();
  private readonly compiled = new Map<string, Promise<RecurrentModel>>();
  private readonly statuses = new Map<string, BackendStatus>();
  private model: LoadedModel | null = null;

  constructor(private readonly onStatus: (id: string, status: BackendStatus) => void) {}

  status(id: string): BackendStatus {
    return this.statuses.get(id) ?? { state: 'idle' };
  }

  private setStatus(id: string, status: BackendStatus): void {
    this.statuses.set(id, status);
    this.onStatus(id, status);
  }

  backend(id: string): Promise<Backend> {
    let pending = this.backends.get(id);
    if (!pending) {
      const choice = BACKEND_CHOICES.find((c) => c.id === id);
      if (!choice) return Promise.reject(new Error(`no backend '${id}'`));
      this.setStatus(id, { state: 'loading' });
      pending = choice.create().then(
        (backend) => {
          this.setStatus(id, { state: 'ready', name: backend.name });
          return backend;
        },
        (error: unknown) => {
          this.setStatus(id, { state: 'unavailable', reason: describeError(error) });
          throw error;
        },
      );
      this.backends.set(id, pending);
    }
    return pending;
  }

  /** The current model compiled on backend `id` (compiled once per model and backend). */
  async compiledModel(id: string, model: LoadedModel): Promise<RecurrentModel> {
    if (model !== this.model) this.useModel(model);
    let pending = this.compiled.get(id);
    if (!pending) {
      pending = this.backend(id).then((backend) => backend.compile(model.config, model.weights));
      this.compiled.set(id, pending);
      pending.catch(() => this.compiled.delete(id));
    }
    return pending;
  }

  private useModel(model: LoadedModel): void {
    for (const pending of this.compiled.values()) {
      pending.then((compiled) => compiled.dispose()).catch(() => {});
    }
    this.compiled.clear();
    this.model = model;
  }
}
