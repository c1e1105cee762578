import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Tensor } from '@gated/core';
import { SkipRow } from '../subject.js';
import { builtEntry, findWorkspaceRoot } from '../workspace.js';

/** What a gated training step takes from @gated/train: its mean squared error and its Adam
 * (the same functions its Trainer uses). */
export interface TrainingKit {
  meanSquaredError(predictions: Tensor, targets: Tensor): { loss: number; gradient: Tensor };
  adam(options: { lr?: number; betas?: readonly [number, number]; eps?: number }): Optimizer;
}

/** @gated/train's Optimizer: updates the parameters in place from their gradients. */
export interface Optimizer {
  step(
    parameters: Readonly<Record<string, Float32Array>>,
    gradients: Readonly<Record<string, Float32Array>>,
  ): void;
}

let kit: Promise<TrainingKit> | null = null;

/** @gated/train from the workspace's packages/train, found like the backends (its built entry);
 * throws SkipRow saying why not. Loaded once per process. */
export function loadTrainingKit(): Promise<TrainingKit> {
  kit ??= importTrainingKit();
  kit.catch(() => {
    kit = null;
  });
  return kit;
}

async function importTrainingKit(): Promise<TrainingKit> {
  const root = findWorkspaceRoot();
  if (!root) throw new SkipRow('no pnpm workspace found above the bench: no @gated/train');
  const entry = builtEntry(join(root, 'packages', 'train'));
  if (!entry) throw new SkipRow('packages/train is not built (no dist entry): no Adam to train with');
  const module = (await import(pathToFileURL(entry).href)) as Partial<TrainingKit>;
  return trainingKitFrom(module);
}

/** The kit from a module's exports; SkipRow naming what is missing. */
export function trainingKitFrom(module: Partial<Record<keyof TrainingKit, unknown>>): TrainingKit {
  const missing = (['meanSquaredError', 'adam'] as const).filter((k) => typeof module[k] !== 'function');
  if (missing.length > 0)
    throw new SkipRow(`@gated/train does not export ${missing.join(' and ')} (packages/train/dist)`);
  return module as TrainingKit;
}
