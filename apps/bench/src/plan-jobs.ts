import type { RunSettings } from './settings.js';
import { pairAnchor } from './settings.js';
import type { BenchCell, Shape } from './shapes.js';
import type { Subject } from './subject.js';

/** Why a subject's rows cannot be paired with the anchor, or null when they can: its own
 * reason (it cannot share the anchor's process), or in a training run a slow subject, whose
 * training steps take tens of seconds each. */
export function unpairable(subject: Subject, settings: RunSettings): string | null {
  if (subject.unpairable) return subject.unpairable;
  if (settings.train && subject.slow) return SLOW_TRAINING_UNPAIRED;
  return null;
}

export const SLOW_TRAINING_UNPAIRED =
  'a training step takes tens of seconds here: timed on its own, not paired';

/** One unit of work: a row's own timing, or its pairs with the anchor. */
export interface Job {
  readonly kind: 'row' | 'pairs';
  readonly subject: Subject;
  readonly shape: Shape;
  readonly cell: BenchCell;
}

/** The run in order: per shape × cell, every subject's row, then the pairs of every subject
 * that can share a process with the anchor (none without the anchor or with --pairs 0). */
export function planJobs(
  shapes: readonly Shape[],
  cells: readonly BenchCell[],
  subjects: readonly Subject[],
  settings: RunSettings,
): Job[] {
  const anchorName = pairAnchor(settings);
  const anchor = subjects.some((s) => s.name === anchorName);
  const jobs: Job[] = [];
  for (const shape of shapes) {
    for (const cell of cells) {
      for (const subject of subjects) jobs.push({ kind: 'row', subject, shape, cell });
      if (!anchor || settings.pairs === 0) continue;
      for (const subject of subjects) {
        if (subject.name !== anchorName && !unpairable(subject, settings))
          jobs.push({ kind: 'pairs', subject, shape, cell });
      }
    }
  }
  return jobs;
}
