import {
  ALL_CAPABILITIES,
  type Backend,
  INFERENCE_CAPABILITIES,
  type RecurrentModel,
  type Tensor,
  tensor,
  type Weights,
} from '@gated/core';
import { describe, expect, it } from 'vitest';
import { shapeTarget } from '../shapes.js';
import { SkipRow, type Task } from '../subject.js';
import { buildTask } from '../task.js';
import { GatedTrainingStep, prepareGatedTraining } from './gated-step.js';
import type { TrainingKit } from './kit.js';

/** A small S2-like task (the harness reads only its shape, config, weights and input). */
function smallTask(): Task {
  const task = buildTask(
    {
      id: 'S2',
      mode: 'forward',
      batch: 2,
      steps: 3,
      inputSize: 4,
      hiddenSize: 5,
      numLayers: 1,
      bidirectional: false,
      label: 'test',
    },
    'gru',
  );
  return task;
}

interface Log {
  events: string[];
  /** The weights each compile received (a copy). */
  compiled: Record<string, Float32Array>[];
  /** The upstream output gradient of each backward. */
  upstream: Float32Array[];
}

/** A backend whose model's output is the sum of its weights' first values, plus x's first
 * value, at every output position; its gradient for every weight is filled with the sum of the
 * upstream gradient. Every call is logged. */
function fakeBackend(log: Log, options: { training?: boolean; failBackward?: boolean } = {}): Backend {
  let models = 0;
  const compile = async (config: unknown, weights: Weights) => {
    const id = ++models;
    log.events.push(`compile ${id}`);
    log.compiled.push(Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, v.slice()])));
    const task = smallTask();
    const outputLength = task.shape.steps * task.shape.batch * task.shape.hiddenSize;
    const model = {
      config,
      recordForward: async (x: Tensor) => {
        log.events.push(`record ${id}`);
        const value = Object.values(weights).reduce((s, w) => s + w[0], 0) + x.data[0];
        const output = tensor(new Float32Array(outputLength).fill(value), [
          task.shape.steps,
          task.shape.batch,
          task.shape.hiddenSize,
        ]);
        return {
          output,
          h: tensor(new Float32Array(10), [1, 2, 5]),
          backward: async (upstream: { output?: Tensor } = {}) => {
            log.events.push(`backward ${id}`);
            if (options.failBackward) throw new Error('backward failed');
            const g = upstream.output as Tensor;
            log.upstream.push(g.data.slice());
            const total = g.data.reduce((s, v) => s + v, 0);
            return {
              weights: Object.fromEntries(
                Object.entries(weights).map(([k, w]) => [k, new Float32Array(w.length).fill(total)]),
              ),
              x,
              h0: tensor(new Float32Array(10), [1, 2, 5]),
            };
          },
          release: () => log.events.push(`release ${id}`),
        };
      },
      dispose: () => log.events.push(`dispose ${id}`),
    };
    return model as unknown as RecurrentModel;
  };
  return {
    name: 'fake',
    capabilities: options.training === false ? INFERENCE_CAPABILITIES : ALL_CAPABILITIES,
    compile: compile as Backend['compile'],
    dispose: () => undefined,
  };
}

/** Mean squared error as @gated/train defines it, and plain gradient descent (lr 0.1) standing
 * in for its Adam: what is checked here is the harness's order of calls and what it passes. */
const kit: TrainingKit = {
  meanSquaredError(predictions, targets) {
    const n = predictions.data.length;
    const gradient = new Float32Array(n);
    let total = 0;
    for (let k = 0; k < n; k++) {
      const d = predictions.data[k] - targets.data[k];
      total += d * d;
      gradient[k] = (2 * d) / n;
    }
    return { loss: total / n, gradient: tensor(gradient, [...predictions.shape]) };
  },
  adam: () => ({
    step(parameters, gradients) {
      for (const [name, g] of Object.entries(gradients)) {
        const p = parameters[name];
        for (let k = 0; k < p.length; k++) p[k] -= 0.1 * g[k];
      }
    },
  }),
};

const newLog = (): Log => ({ events: [], compiled: [], upstream: [] });

describe('GatedTrainingStep', () => {
  it('records, backpropagates the loss gradient, releases, updates the weights and compiles the model again', async () => {
    const log = newLog();
    const task = smallTask();
    const step = await GatedTrainingStep.create(fakeBackend(log), task, kit);
    const { loss, output } = await step.run(true);
    expect(log.events).toEqual([
      'compile 1',
      'record 1',
      'backward 1',
      'release 1',
      'compile 2',
      'dispose 1',
    ]);
    // The upstream gradient is d(mean squared error)/d(output) against the seeded target.
    const target = shapeTarget(task.shape);
    const value = (output as Float32Array)[0];
    expect(log.upstream[0]).toHaveLength(target.length);
    expect(log.upstream[0][7]).toBeCloseTo((2 * (value - target[7])) / target.length, 6);
    expect(loss).toBeCloseTo(target.reduce((s, t) => s + (value - t) ** 2, 0) / target.length, 5);
    // The second compile got the updated weights; the task's own weights are untouched.
    const total = log.upstream[0].reduce((s, v) => s + v, 0);
    for (const [name, w] of Object.entries(task.weights)) {
      expect(log.compiled[1][name][0]).toBeCloseTo(w[0] - 0.1 * total, 6);
      expect(log.compiled[0][name]).toEqual(w);
    }
    step.dispose();
    expect(log.events.at(-1)).toBe('dispose 2');
  });

  it('releases the recording when the backward fails', async () => {
    const log = newLog();
    const step = await GatedTrainingStep.create(fakeBackend(log, { failBackward: true }), smallTask(), kit);
    await expect(step.run()).rejects.toThrow('backward failed');
    expect(log.events).toEqual(['compile 1', 'record 1', 'backward 1', 'release 1']);
  });

  it('says that a backend without backward kernels does not train yet, before compiling anything', async () => {
    const log = newLog();
    const create = GatedTrainingStep.create(fakeBackend(log, { training: false }), smallTask(), kit);
    await expect(create).rejects.toThrow(SkipRow);
    await expect(create).rejects.toThrow('fake does not train yet (capabilities.training is false)');
    expect(log.events).toEqual([]);
  });
});

describe('prepareGatedTraining', () => {
  it("checks the first step's output, reports two losses that fall, and times one step per call", async () => {
    const log = newLog();
    const row = await prepareGatedTraining(fakeBackend(log), smallTask(), kit);
    expect(row.output).toHaveLength(3 * 2 * 5);
    const [first, second] = row.losses as [number, number];
    expect(second).toBeLessThan(first);
    const records = () => log.events.filter((e) => e.startsWith('record')).length;
    expect(records()).toBe(2);
    await row.run();
    expect(records()).toBe(3);
    await row.dispose();
    expect(log.events.at(-1)).toBe('dispose 4');
  });
});
