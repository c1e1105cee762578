import type { RecurrentConfig, Weights } from '@gated/core';
import type { BenchCell, Shape } from './shapes.js';

/** Submissions and dispatches of one call (a forward or a stream step). */
export interface DeviceWork {
  readonly submissions: number;
  readonly dispatches: number;
}

/** One shape × cell, with the weights and input every row of it shares. */
export interface Task {
  readonly shape: Shape;
  readonly cell: BenchCell;
  readonly config: RecurrentConfig;
  readonly weights: Weights;
  /** x [T, B, I] (time-major), or x_t [B, I] for a stream step. */
  readonly input: Float32Array;
}

/** A row ready to be timed. */
export interface PreparedRow {
  /** What is checked against the reference row: the forward's output [T, B, D·Hout]
   * (time-major), or for a stream the h of one step from the zero state. */
  readonly output: Float32Array;
  /** The kernel build that runs (backend-wasm: 'simd128' or 'relaxed-simd'); absent where the
   * row has one build only. */
  readonly build?: string;
  /** Device work of one call, for backends that count it (backend-webgpu's `stats`): queue
   * submissions and compute dispatches. Absent elsewhere. */
  readonly work?: DeviceWork;
  /** Training rows: the loss of the first two training steps (before and after one update). */
  readonly losses?: readonly [number, number];
  /** One timed call: a whole forward, one stream step (state carried on), or one training
   * step (forward, backward, Adam update; the weights carried on). */
  run(): Promise<void>;
  dispose(): void | Promise<void>;
}

/** How a child process finds a subject again: an anchor by name, or a backend package of the
 * workspace created with these options and shown under this name. */
export type SubjectRef =
  | { readonly source: 'anchor'; readonly name: string }
  | {
      readonly source: 'backend';
      readonly name: string;
      /** The package's directory under packages/ ('backend-wasm'). */
      readonly dir: string;
      readonly options?: Readonly<Record<string, unknown>>;
      /** backend-wasm only: the row is the relaxed-SIMD build (skipped where it does not load). */
      readonly relaxedSimd?: boolean;
    };

/** Something that gets a row per task: a gated backend or an anchor (another library). */
export interface Subject {
  readonly name: string;
  readonly kind: 'backend' | 'anchor';
  /** Names `--backends` may use for it besides `name`. */
  readonly aliases: readonly string[];
  readonly ref: SubjectRef;
  /** Runs in a child process: it needs a per-process setting (ort-web's thread count, a node flag). */
  readonly isolated?: boolean;
  /** Node flags of its child process (implies isolated). */
  readonly nodeFlags?: readonly string[];
  /** Why it cannot be paired with the anchor in one process; absent when it can. */
  readonly unpairable?: string;
  /** Rows run once with no warm-up in quick mode (tfjs on its cpu backend takes seconds). */
  readonly slow?: boolean;
  prepare(task: Task): Promise<PreparedRow>;
  /** A training row (--train): its output is the first training step's forward output, its
   * losses those of the first two steps. Absent where the subject has no training step. */
  prepareTraining?(task: Task): Promise<PreparedRow>;
  dispose?(): void | Promise<void>;
}

/** Whether a subject's rows run in a child process. */
export function runsInChild(subject: Subject): boolean {
  return subject.isolated === true || (subject.nodeFlags?.length ?? 0) > 0;
}

/** A row that could not run (unsupported option, library missing); shown, never hidden. */
export class SkipRow extends Error {
  override name = 'SkipRow';
}

/** A subject's row of a task: a forward (or stream step) row, or a training row (--train). */
export async function prepareRow(subject: Subject, task: Task, training: boolean): Promise<PreparedRow> {
  if (!training) return subject.prepare(task);
  if (!subject.prepareTraining) throw new SkipRow(`${subject.name} has no training step`);
  return subject.prepareTraining(task);
}
