import { type PairedResult, runInChild } from './child.js';
import { type EtaJob, EtaModel, type EtaPlan } from './eta.js';
import { type Measurement, type MeasureOptions, MemorySampler, measure } from './measure.js';
import { type PairSchedule, pairScheduleMs } from './pairs.js';
import { type Job, planJobs, unpairable } from './plan-jobs.js';
import type { ProgressState } from './progress.js';
import type { PairedRatio, RowResult, SkippedRow } from './results.js';
import {
  MAX_ABS_DIFF,
  MAX_CALLS_PER_RUN,
  PAIR_MIN_RUN_MS,
  pairAnchor,
  QUICK_STEP_DIVISOR,
  type RunSettings,
} from './settings.js';
import { type BenchCell, type Shape, shapeFlops, trainingFlops } from './shapes.js';
import { gflopsPerSecond, maxAbsDiff, runsWithinBudget } from './stats.js';
import { type DeviceWork, prepareRow, runsInChild, SkipRow, type Subject, type Task } from './subject.js';
import { buildTask, truncateTask } from './task.js';
import { lossStepMismatch } from './training/loss-step.js';

export interface RunEvents {
  progress(state: ProgressState): void;
  note(line: string): void;
}

function callsPerRun(settings: RunSettings, shape: Shape): number {
  return shape.mode === 'stream' ? settings.stepsPerRun : 1;
}

function measureOptions(settings: RunSettings, subject: Subject, shape: Shape): MeasureOptions {
  // Slow rows (tfjs-layers@cpu: ~30 s and ~75 s per S3 forward) may drop to one timed run.
  const minRuns = settings.quick || subject.slow ? 1 : 3;
  return {
    // A training step of tfjs-layers@cpu takes ~25 s on S2: one timed run after the warm-up.
    repeats: settings.train && subject.slow ? 1 : settings.repeats,
    warmups: 1,
    budgetMs: settings.budgetMs,
    minRuns,
    callsPerRun: callsPerRun(settings, shape),
  };
}

/** The pairs of a row whose calls take `rowMs` and the anchor's `anchorMs`: each run repeats
 * the call until the faster side's run lasts PAIR_MIN_RUN_MS (a run of a few stream steps is
 * shorter than one time slice of a busy machine, and one preemption would be its whole time). */
export function pairSchedule(
  settings: RunSettings,
  shape: Shape,
  rowMs: number,
  anchorMs: number,
): PairSchedule {
  const fastest = Math.min(rowMs, anchorMs);
  const forMinimum = fastest > 0 ? Math.ceil(PAIR_MIN_RUN_MS / fastest) : 1;
  return {
    pairs: settings.pairs,
    warmups: 1,
    callsPerRun: Math.min(MAX_CALLS_PER_RUN, Math.max(callsPerRun(settings, shape), forMinimum)),
  };
}

export function measuredSteps(settings: RunSettings, subject: Subject, shape: Shape): number {
  if (!settings.quick || !subject.slow || shape.mode !== 'forward' || shape.bidirectional) return shape.steps;
  return Math.max(1, Math.ceil(shape.steps / QUICK_STEP_DIVISOR));
}

interface Timed {
  readonly output: Float32Array;
  readonly measurement: Measurement;
  readonly build: string | null;
  readonly work: DeviceWork | null;
  readonly losses: readonly [number, number] | null;
}

async function timeRow(
  subject: Subject,
  task: Task,
  options: MeasureOptions,
  training: boolean,
): Promise<Timed> {
  if (runsInChild(subject)) {
    const { reply, output } = await runInChild(
      {
        kind: 'row',
        subject: subject.ref,
        shape: task.shape.id,
        cell: task.cell,
        steps: task.shape.steps,
        training,
        options,
      },
      subject.nodeFlags,
    );
    if (reply.kind !== 'row' || !output) throw new Error(`child for ${subject.name}: expected a row reply`);
    return {
      output,
      measurement: reply.measurement,
      build: reply.build ?? null,
      work: reply.work ?? null,
      losses: reply.losses ?? null,
    };
  }
  const memory = new MemorySampler();
  const row = await prepareRow(subject, task, training);
  try {
    return {
      output: row.output,
      measurement: await measure(row.run, options, memory),
      build: row.build ?? null,
      work: row.work ?? null,
      losses: row.losses ?? null,
    };
  } finally {
    await row.dispose();
  }
}

/** Every subject on every shape × cell; the first row of each group that runs is the
 * reference the others' outputs are checked against (before they are timed). Then each row
 * that can share a process with the anchor runs alternately with it, for the paired ratio. */
export async function runBench(
  shapes: readonly Shape[],
  cells: readonly BenchCell[],
  subjects: readonly Subject[],
  settings: RunSettings,
  events: RunEvents,
): Promise<{ results: RowResult[]; skipped: SkippedRow[] }> {
  const results: RowResult[] = [];
  const skipped: SkippedRow[] = [];
  const anchorName = pairAnchor(settings);
  const jobs = planJobs(shapes, cells, subjects, settings);
  const eta = new EtaModel(etaPlan(settings, subjects));
  const etaJobs: EtaJob[] = jobs.map((j) => ({ ...j, subject: j.subject.name }));
  const startedAt = Date.now();
  const references = new Map<string, { name: string; output: Float32Array }>();
  // Training rows: per group and kind (gated backends, anchors), the loss fall of the first
  // full-length row, which the others of that kind must match. Not across kinds: gated has
  // PyTorch's two bias vectors per gate (b_ih, b_hh), Keras one, and Adam moves each by about lr.
  const lossReferences = new Map<string, { name: string; losses: readonly [number, number] }>();
  const tasks = new Map<string, Task>();
  const resultOf = (subject: string, shape: Shape, cell: BenchCell) =>
    results.findIndex((r) => r.name === subject && r.shape === shape.id && r.cell === cell);

  for (const [index, job] of jobs.entries()) {
    const { subject, shape, cell } = job;
    const label = `${shape.id} ${cell} ${subject.name}${job.kind === 'pairs' ? ` : ${anchorName} pairs` : ''}`;
    const jobStartedAt = Date.now();
    const etaJob = etaJobs[index];
    events.progress({
      done: index,
      total: jobs.length,
      label,
      startedAt,
      jobStartedAt,
      jobEstimateMs: eta.estimate(etaJob),
      restEstimateMs: eta.total(etaJobs.slice(index + 1)),
    });

    if (job.kind === 'pairs') {
      const at = resultOf(subject.name, shape, cell);
      if (at < 0) continue; // the row itself did not run; its skip says why
      const anchor = results[resultOf(anchorName, shape, cell)] as RowResult | undefined;
      const { paired, note, scheduleMs } = await runPairs(job, results[at], anchor, settings);
      if (note) events.note(`not paired ${subject.name} ${shape.id} ${cell}: ${note}`);
      results[at] = { ...results[at], paired, pairedNote: note };
      eta.recordPairs(Date.now() - jobStartedAt, scheduleMs);
      continue;
    }

    const key = `${shape.id} ${cell}`;
    const task = tasks.get(key) ?? buildTask(shape, cell);
    tasks.set(key, task);
    const skip = (reason: string) => {
      skipped.push({ name: subject.name, shape: shape.id, cell, reason });
      events.note(`skipped ${subject.name} ${shape.id} ${cell}: ${reason}`);
    };
    let callMs: number | null = null;
    let runs = 0;
    try {
      const steps = measuredSteps(settings, subject, shape);
      const { output, measurement, build, work, losses } = await timeRow(
        subject,
        truncateTask(task, steps),
        measureOptions(settings, subject, shape),
        settings.train,
      );
      callMs = measurement.ms.median;
      runs = measurement.ms.count;
      let reference = references.get(key);
      const diff = reference ? maxAbsDiff(output, reference.output.subarray(0, output.length)) : 0;
      if (!reference && steps !== shape.steps) throw new SkipRow('a shortened row cannot be the reference');
      if (!reference) {
        reference = { name: subject.name, output };
        references.set(key, reference);
      }
      const lossKey = `${key} ${subject.kind}`;
      const fullLosses = steps === shape.steps ? losses : null;
      const lossReference = fullLosses ? lossReferences.get(lossKey) : undefined;
      const trainsDifferently =
        fullLosses && lossReference ? lossStepMismatch(fullLosses, lossReference.losses) : null;
      if (!(diff <= MAX_ABS_DIFF)) {
        skip(
          `output differs from ${reference.name} by ${diff.toExponential(2)} (limit ${MAX_ABS_DIFF}): not timed`,
        );
      } else if (trainsDifferently) {
        skip(`trains differently from ${lossReference?.name}: ${trainsDifferently}`);
      } else {
        if (fullLosses && !lossReference)
          lossReferences.set(lossKey, { name: subject.name, losses: fullLosses });
        const scaled = scaleTime(measurement, shape.steps / steps);
        results.push(
          rowResult(subject, shape, cell, scaled, {
            diff,
            reference: reference.name,
            steps,
            build,
            work,
            training: settings.train,
            losses,
          }),
        );
      }
    } catch (error) {
      skip(error instanceof SkipRow ? error.message : `error: ${(error as Error).message.split('\n')[0]}`);
    }
    eta.recordRow(etaJob, Date.now() - jobStartedAt, callMs, runs);
  }
  events.progress({
    done: jobs.length,
    total: jobs.length,
    label: 'done',
    startedAt,
    jobStartedAt: Date.now(),
    jobEstimateMs: 0,
    restEstimateMs: 0,
  });
  return { results: results.map((r) => withUnpairedNote(r, subjects, settings)), skipped };
}

/** Pairs of one row with the anchor, in one child process (the subject's node flags, if any). */
async function runPairs(
  job: Job,
  row: RowResult,
  anchor: RowResult | undefined,
  settings: RunSettings,
): Promise<{ paired: PairedRatio | null; note: string | null; scheduleMs: number }> {
  const anchorName = pairAnchor(settings);
  if (!anchor) return { paired: null, note: `no ${anchorName} row in this group`, scheduleMs: 0 };
  // Per-call times as run (a shortened row's time is scaled back down to its own steps).
  const steps = measuredSteps(settings, job.subject, job.shape);
  const rowMs = (row.medianMs * steps) / job.shape.steps;
  const anchorMs = (anchor.medianMs * steps) / job.shape.steps;
  const schedule = pairSchedule(settings, job.shape, rowMs, anchorMs);
  const scheduleMs = pairScheduleMs(rowMs, anchorMs, schedule);
  if (scheduleMs > settings.pairBudgetMs) {
    const note = `${schedule.pairs} pairs would take ~${(scheduleMs / 1000).toFixed(0)} s (budget ${settings.pairBudgetMs / 1000} s)`;
    return { paired: null, note, scheduleMs: 0 };
  }
  try {
    const { reply } = await runInChild(
      {
        kind: 'pairs',
        subject: job.subject.ref,
        anchor: { source: 'anchor', name: anchorName },
        shape: job.shape.id,
        cell: job.cell,
        steps,
        training: settings.train,
        schedule,
      },
      job.subject.nodeFlags,
    );
    if (reply.kind !== 'pairs') throw new Error('expected a pairs reply');
    return {
      paired: pairedRatio(reply.paired, anchorName, job.shape.steps / steps),
      note: null,
      scheduleMs,
    };
  } catch (error) {
    const reason =
      error instanceof SkipRow ? error.message : `error: ${(error as Error).message.split('\n')[0]}`;
    return { paired: null, note: reason, scheduleMs };
  }
}

/** The child's pair result as reported: medians scaled to the full T like the row's own. */
function pairedRatio(p: PairedResult, anchor: string, scale: number): PairedRatio {
  return {
    anchor,
    pairs: p.pairs,
    median: p.median,
    p10: p.p10,
    p90: p.p90,
    rowMedianMs: p.rowMedianMs * scale,
    anchorMedianMs: p.anchorMedianMs * scale,
  };
}

/** Rows that never got a pairs job say why: they cannot share the anchor's process. */
function withUnpairedNote(row: RowResult, subjects: readonly Subject[], settings: RunSettings): RowResult {
  if (row.paired || row.pairedNote || row.name === pairAnchor(settings)) return row;
  const subject = subjects.find((s) => s.name === row.name);
  const reason = subject ? unpairable(subject, settings) : null;
  return { ...row, pairedNote: reason };
}

function etaPlan(settings: RunSettings, subjects: readonly Subject[]): EtaPlan {
  const byName = new Map(subjects.map((s) => [s.name, s]));
  return {
    anchor: pairAnchor(settings),
    callsPerRun: (shape) => callsPerRun(settings, shape),
    runs: (job, runMs) => {
      const subject = byName.get(job.subject);
      const options = subject ? measureOptions(settings, subject, job.shape) : null;
      return options ? runsWithinBudget(options.repeats, runMs, options.budgetMs, options.minRuns) : 1;
    },
    pairsMs: (job, rowMs, anchorMs) => {
      const ms = pairScheduleMs(rowMs, anchorMs, pairSchedule(settings, job.shape, rowMs, anchorMs));
      return ms > settings.pairBudgetMs ? 0 : ms;
    },
  };
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
  shape: Shape,
  cell: BenchCell,
  m: Measurement,
  check: {
    diff: number;
    reference: string;
    steps: number;
    build: string | null;
    work: DeviceWork | null;
    training: boolean;
    losses: readonly [number, number] | null;
  },
): RowResult {
  return {
    name: subject.name,
    kind: subject.kind,
    shape: shape.id,
    cell,
    medianMs: m.ms.median,
    minMs: m.ms.min,
    maxMs: m.ms.max,
    runs: m.ms.count,
    cold: m.cold,
    gflops: gflopsPerSecond((check.training ? trainingFlops : shapeFlops)(shape, cell), m.ms.median),
    maxAbsDiff: check.diff,
    reference: check.reference,
    peakRssMb: m.peakRssMb,
    heapMb: m.heapMb,
    isolated: runsInChild(subject),
    measuredSteps: check.steps,
    build: check.build,
    work: check.work,
    training: check.training,
    losses: check.losses,
    paired: null,
    pairedNote: null,
  };
}
