import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allAnchors } from './anchors/index.js';
import { resolveBackend } from './backends.js';
import { type Measurement, type MeasureOptions, measure } from './measure.js';
import { alternatePairs, type PairSchedule } from './pairs.js';
import { MAX_ABS_DIFF } from './settings.js';
import { type BenchCell, type ShapeId, shapeById } from './shapes.js';
import { maxAbsDiff, type PairedStats, pairedRatio, summarize } from './stats.js';
import {
  type DeviceWork,
  type PreparedRow,
  prepareRow,
  SkipRow,
  type Subject,
  type SubjectRef,
} from './subject.js';
import { buildTask, truncateTask } from './task.js';

interface TaskSpec {
  readonly shape: ShapeId;
  readonly cell: BenchCell;
  /** Steps run (a prefix of the shape's T). */
  readonly steps: number;
  /** Training rows (--train): each call is a training step. */
  readonly training: boolean;
}

/** One row, timed in the child: what an isolated subject's row needs. */
export interface RowJob extends TaskSpec {
  readonly kind: 'row';
  readonly subject: SubjectRef;
  readonly options: MeasureOptions;
}

/** A row and the anchor prepared in one child, then run alternately. */
export interface PairsJob extends TaskSpec {
  readonly kind: 'pairs';
  readonly subject: SubjectRef;
  readonly anchor: SubjectRef;
  readonly schedule: PairSchedule;
}

export type ChildJob = RowJob | PairsJob;

/** What the child sends back: a row, a pair result, or why it could not run. */
export type ChildReply =
  | {
      ok: true;
      kind: 'row';
      measurement: Measurement;
      build?: string;
      work?: DeviceWork;
      losses?: readonly [number, number];
    }
  | { ok: true; kind: 'pairs'; paired: PairedResult }
  | { ok: false; skip: string };

/** A paired ratio with the two sides' medians over the same pairs. */
export interface PairedResult extends PairedStats {
  readonly rowMedianMs: number;
  readonly anchorMedianMs: number;
}

export async function resolveSubject(ref: SubjectRef): Promise<Subject> {
  if (ref.source === 'backend') return resolveBackend(ref);
  const anchor = allAnchors().find((s) => s.name === ref.name);
  if (!anchor) throw new Error(`--child: unknown anchor ${ref.name}`);
  return anchor;
}

async function prepare(ref: SubjectRef, spec: TaskSpec): Promise<{ subject: Subject; row: PreparedRow }> {
  const subject = await resolveSubject(ref);
  const task = truncateTask(buildTask(shapeById(spec.shape), spec.cell), spec.steps);
  return { subject, row: await prepareRow(subject, task, spec.training === true) };
}

async function runRowJob(job: RowJob, outputFile: string): Promise<ChildReply> {
  const { row } = await prepare(job.subject, job);
  writeFileSync(outputFile, new Uint8Array(row.output.buffer, row.output.byteOffset, row.output.byteLength));
  const measurement = await measure(row.run, job.options);
  await row.dispose();
  return {
    ok: true,
    kind: 'row',
    measurement,
    ...(row.build ? { build: row.build } : {}),
    ...(row.work ? { work: row.work } : {}),
    ...(row.losses ? { losses: row.losses } : {}),
  };
}

/** The row first, then the anchor (the same kind of row: forwards, or training steps that go on
 * training their own copies of the weights): the ort-web anchor checks that nothing started ort-web on
 * another thread count before it (backend-onnx shares its module). */
async function runPairsJob(job: PairsJob): Promise<ChildReply> {
  const { row } = await prepare(job.subject, job);
  const { row: anchor } = await prepare(job.anchor, job);
  const diff = maxAbsDiff(row.output, anchor.output);
  if (!(diff <= MAX_ABS_DIFF)) {
    return { ok: false, skip: `output differs from ${job.anchor.name} by ${diff.toExponential(2)}` };
  }
  const times = await alternatePairs(row.run, anchor.run, job.schedule);
  await row.dispose();
  await anchor.dispose();
  const paired: PairedResult = {
    ...pairedRatio(times.a, times.b),
    rowMedianMs: summarize(times.a).median,
    anchorMedianMs: summarize(times.b).median,
  };
  return { ok: true, kind: 'pairs', paired };
}

/** Child side (`cli.js --child <job> <output file>`): rebuild the task from the seeds, run the
 * job, reply on stdout as the last line. */
export async function runChild(job: ChildJob, outputFile: string): Promise<void> {
  let reply: ChildReply;
  try {
    reply = job.kind === 'row' ? await runRowJob(job, outputFile) : await runPairsJob(job);
  } catch (error) {
    if (!(error instanceof SkipRow)) throw error;
    reply = { ok: false, skip: error.message };
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}

export interface ChildOutcome {
  readonly reply: Exclude<ChildReply, { ok: false }>;
  /** The row's output (row jobs), for the parent's check against the reference. */
  readonly output: Float32Array | null;
}

/** Parent side: run one job in a fresh `node [flags] cli.js --child` process. */
export async function runInChild(job: ChildJob, nodeFlags: readonly string[] = []): Promise<ChildOutcome> {
  const label = `${job.subject.name} ${job.shape} ${job.cell}`;
  const outputFile = join(
    tmpdir(),
    `gated-bench-${process.pid}-${job.kind}-${label.replace(/\W/g, '_')}.f32`,
  );
  const cli = fileURLToPath(new URL('./cli.js', import.meta.url));
  const child = spawn(process.execPath, [...nodeFlags, cli, '--child', JSON.stringify(job), outputFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    const last = stdout.trim().split('\n').pop() ?? '';
    if (code !== 0 || !last.startsWith('{')) {
      throw new Error(
        `child for ${job.kind} ${label} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
      );
    }
    const reply = JSON.parse(last) as ChildReply;
    if (!reply.ok) throw new SkipRow(reply.skip);
    if (reply.kind !== 'row') return { reply, output: null };
    const bytes = readFileSync(outputFile);
    const output = new Float32Array(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
    return { reply, output };
  } finally {
    rmSync(outputFile, { force: true });
  }
}
