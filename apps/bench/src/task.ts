import { initWeights } from '@gated/core';
import { type BenchCell, type Shape, shapeConfig, shapeInput, WEIGHT_SEED } from './shapes.js';
import type { Task } from './subject.js';

/** The weights and input of a shape × cell: seeded, so a child process rebuilds the same. */
export function buildTask(shape: Shape, cell: BenchCell): Task {
  const config = shapeConfig(shape, cell);
  return {
    shape,
    cell,
    config,
    weights: initWeights(config, { seed: WEIGHT_SEED }),
    input: shapeInput(shape),
  };
}

/** The task on its first `steps` steps only (a prefix of the full input). */
export function truncateTask(task: Task, steps: number): Task {
  if (steps === task.shape.steps) return task;
  const { shape } = task;
  return {
    ...task,
    shape: { ...shape, steps },
    input: task.input.subarray(0, steps * shape.batch * shape.inputSize),
  };
}
