import { type Backend, isGatedError, type RecurrentModel, type Tensor, tensor } from '@gated/core';
import { ADAM } from '../settings.js';
import { shapeTarget } from '../shapes.js';
import { type PreparedRow, SkipRow, type Task } from '../subject.js';
import type { Optimizer, TrainingKit } from './kit.js';

/** One training step of a gated model, all of it counted: the recorded forward, the mean
 * squared error over every output value and its gradient, the backward, the release of the
 * recording, @gated/train's Adam update of the weights (in place), and compiling the model
 * again from the updated weights (a compiled model's weights are fixed; @gated/train's Trainer
 * does the same). Returns the step's loss (before its update). */
export class GatedTrainingStep {
  private constructor(
    private readonly backend: Backend,
    private readonly task: Task,
    private readonly kit: TrainingKit,
    private readonly optimizer: Optimizer,
    private readonly weights: Record<string, Float32Array>,
    private model: RecurrentModel,
    private readonly x: Tensor,
    private readonly target: Tensor,
  ) {}

  /** Throws SkipRow when the backend does not train (yet) or cannot compile the task. */
  static async create(backend: Backend, task: Task, kit: TrainingKit): Promise<GatedTrainingStep> {
    if (!backend.capabilities.training) {
      throw new SkipRow(`${backend.name} does not train yet (capabilities.training is false)`);
    }
    const { shape } = task;
    const weights: Record<string, Float32Array> = {};
    for (const [name, array] of Object.entries(task.weights)) weights[name] = Float32Array.from(array);
    let model: RecurrentModel;
    try {
      model = await backend.compile(task.config, weights);
    } catch (error) {
      if (isGatedError(error, 'UNSUPPORTED')) throw new SkipRow(error.message);
      throw error;
    }
    const x = tensor(task.input, [shape.steps, shape.batch, shape.inputSize]);
    const targetData = shapeTarget(shape);
    const target = tensor(targetData, [
      shape.steps,
      shape.batch,
      targetData.length / (shape.steps * shape.batch),
    ]);
    const optimizer = kit.adam({ lr: ADAM.lr, betas: ADAM.betas, eps: ADAM.eps });
    return new GatedTrainingStep(backend, task, kit, optimizer, weights, model, x, target);
  }

  /** One step; `keepOutput` returns a copy of the forward's output too (for the check). */
  async run(keepOutput = false): Promise<{ loss: number; output: Float32Array | null }> {
    let recorded: Awaited<ReturnType<RecurrentModel['recordForward']>>;
    try {
      recorded = await this.model.recordForward(this.x);
    } catch (error) {
      if (isGatedError(error, 'UNSUPPORTED')) throw new SkipRow(error.message);
      throw error;
    }
    let loss: number;
    const output = keepOutput ? recorded.output.data.slice() : null;
    try {
      const mse = this.kit.meanSquaredError(recorded.output, this.target);
      loss = mse.loss;
      const gradients = await recorded.backward({ output: mse.gradient });
      this.optimizer.step(this.weights, gradients.weights);
    } finally {
      recorded.release();
    }
    const next = await this.backend.compile(this.task.config, this.weights);
    this.model.dispose();
    this.model = next;
    return { loss, output };
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** A gated training row: two steps first (the first one's output is what the bench checks, the
 * two losses show the row trains like the others), then each timed call is one step. */
export async function prepareGatedTraining(
  backend: Backend,
  task: Task,
  kit: TrainingKit,
): Promise<PreparedRow> {
  const step = await GatedTrainingStep.create(backend, task, kit);
  try {
    const first = await step.run(true);
    const second = await step.run();
    return {
      output: first.output as Float32Array,
      losses: [first.loss, second.loss],
      run: async () => void (await step.run()),
      dispose: () => step.dispose(),
    };
  } catch (error) {
    step.dispose();
    throw error;
  }
}
