import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allAnchors } from './anchors/index.js';
import { type Measurement, type MeasureOptions, measure } from './measure.js';
import { type BenchCell, type ShapeId, shapeById } from './shapes.js';
import { SkipRow } from './subject.js';
import { buildTask } from './task.js';

/** What a child process is asked to run: one row of an isolated anchor. */
export interface ChildSpec {
  readonly subject: string;
  readonly shape: ShapeId;
  readonly cell: BenchCell;
  readonly options: MeasureOptions;
  /** Where the child writes the row's output (raw f32) for the parent's check. */
  readonly outputFile: string;
}

type ChildReply = { ok: true; measurement: Measurement } | { ok: false; skip: string };

export interface ChildRow {
  readonly output: Float32Array;
  readonly measurement: Measurement;
}

/** Child side: rebuild the task from the seeds, prepare, measure, reply on stdout. */
export async function runChild(spec: ChildSpec): Promise<void> {
  const subject = allAnchors().find((s) => s.name === spec.subject);
  if (!subject) throw new Error(`--child: unknown subject ${spec.subject}`);
  let reply: ChildReply;
  try {
    const row = await subject.prepare(buildTask(shapeById(spec.shape), spec.cell));
    writeFileSync(
      spec.outputFile,
      new Uint8Array(row.output.buffer, row.output.byteOffset, row.output.byteLength),
    );
    reply = { ok: true, measurement: await measure(row.run, spec.options) };
    await row.dispose();
  } catch (error) {
    if (!(error instanceof SkipRow)) throw error;
    reply = { ok: false, skip: error.message };
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}

/** Parent side: run one row in a fresh `node cli.js --child` process. */
export async function runInChild(spec: Omit<ChildSpec, 'outputFile'>): Promise<ChildRow> {
  const outputFile = join(
    tmpdir(),
    `gated-bench-${process.pid}-${spec.subject.replace(/\W/g, '_')}-${spec.shape}-${spec.cell}.f32`,
  );
  const cli = fileURLToPath(new URL('./cli.js', import.meta.url));
  const child = spawn(process.execPath, [cli, '--child', JSON.stringify({ ...spec, outputFile })], {
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
        `child for ${spec.subject} ${spec.shape} ${spec.cell} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
      );
    }
    const reply = JSON.parse(last) as ChildReply;
    if (!reply.ok) throw new SkipRow(reply.skip);
    const bytes = readFileSync(outputFile);
    return {
      output: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
      measurement: reply.measurement,
    };
  } finally {
    rmSync(outputFile, { force: true });
  }
}
