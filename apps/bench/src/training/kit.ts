import type { Tensor } from '@gated/core';
import { SkipRow } from '../subject.js';

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

/** @gated/train (a dependency of the bench), loaded once per process. */
export function loadTrainingKit(): Promise<TrainingKit> {
  kit ??= import('@gated/train').then((module) => trainingKitFrom(module));
  kit.catch(() => {
    kit = null;
  });
  return kit;
}

/** The kit from a module's exports; SkipRow naming what is missing. */
export function trainingKitFrom(module: Partial<Record<keyof TrainingKit, unknown>>): TrainingKit {
  const missing = (['meanSquaredError', 'adam'] as const).filter((k) => typeof module[k] !== 'function');
  if (missing.length > 0) throw new SkipRow(`@gated/train does not export ${missing.join(' and ')}`);
  return module as TrainingKit;
}
