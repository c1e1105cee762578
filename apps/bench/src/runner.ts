import { runInChild } from './child.js';
import { type Measurement, type MeasureOptions, MemorySampler, measure } from './measure.js';
import type { RowResult, SkippedRow } from './results.js';
import { type BenchCell, type Shape, shapeFlops } from './shapes.js';
import { gflopsPerSecond, maxAbsDiff } from './stats.js';
import { SkipRow, type Subject, type Task } from './subject.js';
import { buildTask } from './task.js';

export interface RunSettings {
  readonly quick: boolean;
  readonly repeats: number;
  /** Per-row time budget; slower rows get fewer runs. */
  readonly budgetMs: number;
  /** Stream steps per timed run (one step is microseconds: time many, divide). */
  readonly stepsPerRun: number;
}

/** A row whose output is further than this from the reference is reported, not timed. */
export const MAX_ABS_DIFF = 1e-3;

export interface RunEvents {
  progress(done: number, total: number, label: string): void;
  note(line: string): void;
}

function measureOptions(settings: RunSettings, subject: Subject, shape: Shape): MeasureOptions {
  const callsPerRun = shape.mode === 'stream' ? settings.stepsPerRun : 1;
  // Slow rows (tfjs-layers@cpu: ~30 s and ~75 s per S3 forward) may drop to one timed run.
  const minRuns = settings.quick || subject.slow ? 1 : 3;
  return { repeats: settings.repeats, warmups: 1, budgetMs: settings.budgetMs, minRuns, callsPerRun };
}

/** Quick mode runs slow subjects (tfjs on its cpu backend: ~13 s per S2 GRU forward) on the
 * first T/QUICK_STEP_DIVISOR steps and scales the time up: a unidirectional forward's cost is
 * linear in T and its first steps' output is a prefix of the full one, so the check still holds. */
export const QUICK_STEP_DIVISOR = 5;

export function measuredSteps(settings: RunSettings, subject: Subject, shape: Shape): number {
  if (!settings.quick || !subject.slow || shape.mode !== 'forward' || shape.bidirectional) return shape.steps;
  return Math.max(1, Math.ceil(shape.steps / QUICK_STEP_DIVISOR));
}

function truncate(task: Task, steps: number): Task {
  if (steps === task.shape.steps) return task;
  const { shape } = task;
  return {
    ...task,
    shape: { ...shape, steps },
    input: task.input.subarray(0, steps * shape.batch * shape.inputSize),
  };
}

async function runRow(
  subject: Subject,
  task: Task,
  options: MeasureOptions,
): Promise<{ output: Float32Array; measurement: Measurement }> {
  if (subject.isolated)
    return runInChild({ subject: subject.name, shape: task.shape.id, cell: task.cell, options });
  const memory = new MemorySampler();
  const row = await subject.prepare(task);
  try {
    return { output: row.output, measurement: await measure(row.run, options, memory) };
  } finally {
    await row.dispose();
  }
}

/** Every subject on every shape × cell; the first row of each group that runs is the
 * reference the others' outputs are checked against (before they are timed). */
export async function runBench(
  shapes: readonly Shape[],
  cells: readonly BenchCell[],
  subjects: readonly Subject[],
  settings: RunSettings,
  events: RunEvents,
): Promise<{ results: RowResult[]; skipped: SkippedRow[] }> {
  const results: RowResult[] = [];
  const skipped: SkippedRow[] = [];
  const total = shapes.length * cells.length * subjects.length;
  let done = 0;
  for (const shape of shapes) {
    for (const cell of cells) {
      const task = buildTask(shape, cell);
      let reference: { name: string; output: Float32Array } | null = null;
      for (const subject of subjects) {
        events.progress(done, total, `${shape.id} ${cell} ${subject.name}`);
        const skip = (reason: string) => {
          skipped.push({ name: subject.name, shape: shape.id, cell, reason });
          events.note(`skipped ${subject.name} ${shape.id} ${cell}: ${reason}`);
        };
        try {
          const steps = measuredSteps(settings, subject, shape);
          const { output, measurement } = await runRow(
            subject,
            truncate(task, steps),
            measureOptions(settings, subject, shape),
          );
          const diff = reference ? maxAbsDiff(output, reference.output.subarray(0, output.length)) : 0;
          if (!reference && steps !== shape.steps)
            throw new SkipRow('a shortened row cannot be the reference');
          reference ??= { name: subject.name, output };
          if (!(diff <= MAX_ABS_DIFF)) {
            skip(
              `output differs from ${reference.name} by ${diff.toExponential(2)} (limit ${MAX_ABS_DIFF}): not timed`,
            );
          } else {
            results.push(
              rowResult(
                subject,
                task,
                scaleTime(measurement, shape.steps / steps),
                diff,
                reference.name,
                steps,
              ),
            );
          }
        } catch (error) {
          skip(
            error instanceof SkipRow ? error.message : `error: ${(error as Error).message.split('\n')[0]}`,
          );
        }
        done++;
      }
    }
  }
  events.progress(done, total, 'done');
  return { results, skipped };
}

function scaleTime(m: Measurement, factor: number): Measurement {
  if (factor === 1) return m;
  return {
    ...m,
    ms: { ...m.ms, median: m.ms.median * factor, min: m.ms.min * factor, max: m.ms.max * factor },
  };
}

function rowResult(
  subject: Subject,
  task: Task,
  m: Measurement,
  diff: number,
  reference: string,
  steps: number,
): RowResult {
  return {
    name: subject.name,
    kind: subject.kind,
    shape: task.shape.id,
    cell: task.cell,
    medianMs: m.ms.median,
    minMs: m.ms.min,
    maxMs: m.ms.max,
    runs: m.ms.count,
    cold: m.cold,
    gflops: gflopsPerSecond(shapeFlops(task.shape, task.cell), m.ms.median),
    maxAbsDiff: diff,
    reference,
    peakRssMb: m.peakRssMb,
    heapMb: m.heapMb,
    isolated: subject.isolated === true,
    measuredSteps: steps,
  };
}
