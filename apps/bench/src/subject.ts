import type { RecurrentConfig, Weights } from '@gated/core';
import type { BenchCell, Shape } from './shapes.js';

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
  /** One timed call: a whole forward, or one stream step (state carried on). */
  run(): Promise<void>;
  dispose(): void | Promise<void>;
}

/** Something that gets a row per task: a gated backend or an anchor (another library). */
export interface Subject {
  readonly name: string;
  readonly kind: 'backend' | 'anchor';
  /** Names `--backends` may use for it besides `name`. */
  readonly aliases: readonly string[];
  /** Runs in a child process: it needs a per-process setting (ort-web's thread count). */
  readonly isolated?: boolean;
  /** Rows run once with no warm-up in quick mode (tfjs on its cpu backend takes seconds). */
  readonly slow?: boolean;
  prepare(task: Task): Promise<PreparedRow>;
  dispose?(): void | Promise<void>;
}

/** A row that could not run (unsupported option, library missing); shown, never hidden. */
export class SkipRow extends Error {
  override name = 'SkipRow';
}
