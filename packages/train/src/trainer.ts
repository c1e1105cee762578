import {
  type AnyRecurrentConfig,
  type Backend,
  GatedError,
  initWeights,
  type NormalizedConfig,
  normalizeConfig,
  type RecurrentModel,
  type Tensor,
  type Weights,
} from '@gated/core';
import { adam } from './adam.js';
import { clipGradNorm } from './clip-grad-norm.js';
import { crossEntropy } from './cross-entropy.js';
import type { Dataset } from './dataset.js';
import { evaluateDataset, type FitOptions, fitTrainer, type History, type Metrics } from './fit.js';
import { LinearHead } from './linear-head.js';
import { meanSquaredError } from './mean-squared-error.js';
import type { Optimizer } from './optimizer.js';
import { lastHidden, lastHiddenGradient, type Readout, readoutSize, stepMask } from './readout.js';

export type LossName = 'crossEntropy' | 'meanSquaredError';

export interface TrainerOptions {
  backend: Backend;
  config: AnyRecurrentConfig;
  /** Initial recurrent weights (copied); default `initWeights(config, { seed })`. */
  weights?: Weights;
  /** The head (its arrays are trained in place); default `LinearHead.init(features, outputs,
   * { seed: seed + 1 })`. */
  head?: LinearHead;
  /** Classes (crossEntropy) or values (meanSquaredError) per prediction, when `head` is not given. */
  outputs?: number;
  /** Default 'sequence'. */
  readout?: Readout;
  /** Default 'crossEntropy'. */
  loss?: LossName;
  /** Default `adam()`. */
  optimizer?: Optimizer;
  /** Clip the global gradient norm (recurrent and head together) to this before each update. */
  clipNorm?: number;
  seed?: number;
}

/** One batch in the model's layout. */
export interface Batch {
  /** [T, B, I], or [B, T, I] with batchFirst. */
  readonly x: Tensor;
  /** crossEntropy: class indices (as numbers), one per prediction: [B] for readout 'last', the
   * output's leading axes ([T, B] or [B, T]) for 'sequence'. meanSquaredError: the same with a
   * trailing axis of `outputs` values. */
  readonly target: Tensor;
  readonly seqLens?: readonly number[];
  /** Initial state (e.g. carried over from the previous chunk of a stream); zeros when absent. */
  readonly h0?: Tensor;
  readonly c0?: Tensor;
}

export interface EvaluateResult {
  /** Mean loss over the counted predictions. */
  readonly loss: number;
  /** Predictions counted (padded steps are not). */
  readonly count: number;
  /** crossEntropy only: counted predictions whose largest logit is the target. */
  readonly correct?: number;
  /** The final state, to carry into the next chunk of a stream (no gradient flows back through it). */
  readonly state: { readonly h: Tensor; readonly c?: Tensor };
}

export interface GradientsResult extends EvaluateResult {
  /** ∂loss/∂parameter for every entry of `parameters`. */
  readonly gradients: Record<string, Float32Array>;
}

export interface StepResult extends EvaluateResult {
  /** The global gradient norm before clipping. */
  readonly gradNorm: number;
  /** Milliseconds spent in the recorded forward + backward, the optimizer update, and
   * recompiling the model with the updated weights. */
  readonly ms: { readonly forwardBackward: number; readonly update: number; readonly compile: number };
}

/** A recurrent model with a linear head, a loss and an optimizer. The weights live here, in
 * plain arrays; after each update the model is compiled again from them (a compiled model's
 * weights are fixed: core has no in-place weight update). */
export class Trainer {
  readonly config: NormalizedConfig;
  readonly readout: Readout;
  readonly loss: LossName;
  readonly optimizer: Optimizer;
  readonly head: LinearHead;
  readonly clipNorm: number | null;
  /** The recurrent weights (PyTorch `state_dict` names), updated in place by every step. */
  readonly weights: Record<string, Float32Array>;
  /** Every trained array by the name it has in a PyTorch module with submodules `rnn` and `head`. */
  readonly parameters: Record<string, Float32Array>;
  private model: RecurrentModel;

  private constructor(
    private readonly backend: Backend,
    options: TrainerOptions,
    model: RecurrentModel,
    weights: Record<string, Float32Array>,
    head: LinearHead,
  ) {
    this.config = model.config;
    this.model = model;
    this.weights = weights;
    this.head = head;
    this.readout = options.readout ?? 'sequence';
    this.loss = options.loss ?? 'crossEntropy';
    this.optimizer = options.optimizer ?? adam();
    this.clipNorm = options.clipNorm ?? null;
    this.parameters = {};
    for (const [name, array] of Object.entries(weights)) this.parameters[`rnn.${name}`] = array;
    this.parameters['head.weight'] = head.weight;
    this.parameters['head.bias'] = head.bias;
  }

  static async create(options: TrainerOptions): Promise<Trainer> {
    const config = normalizeConfig(options.config);
    const seed = options.seed ?? 0;
    const source = options.weights ?? initWeights(config, { seed });
    const weights: Record<string, Float32Array> = {};
    for (const name of Object.keys(source)) {
      weights[name] = source[name] instanceof Float32Array ? Float32Array.from(source[name]) : source[name];
    }
    const features = readoutSize(config);
    let head = options.head;
    if (head === undefined) {
      if (options.outputs === undefined) {
        throw new GatedError(
          'INVALID_INPUT',
          'outputs: expected the head size (or a head), received nothing',
        );
      }
      head = LinearHead.init(features, options.outputs, { seed: seed + 1 });
    }
    if (head.inputs !== features) {
      throw new GatedError(
        'INVALID_INPUT',
        `head.inputs: expected ${features} (the readout size D·Hout), received ${head.inputs}`,
      );
    }
    const readout = options.readout ?? 'sequence';
    if (readout !== 'sequence' && readout !== 'last') {
      throw new GatedError(
        'INVALID_INPUT',
        `readout: expected 'sequence' or 'last', received ${String(readout)}`,
      );
    }
    const loss = options.loss ?? 'crossEntropy';
    if (loss !== 'crossEntropy' && loss !== 'meanSquaredError') {
      throw new GatedError(
        'INVALID_INPUT',
        `loss: expected 'crossEntropy' or 'meanSquaredError', received ${String(loss)}`,
      );
    }
    const model = await options.backend.compile(config, weights);
    return new Trainer(options.backend, options, model, weights, head);
  }

  /** The head's predictions (logits or values) for x: [..., outputs] over the readout. */
  async predict(
    x: Tensor,
    options: { seqLens?: readonly number[]; h0?: Tensor; c0?: Tensor } = {},
  ): Promise<Tensor> {
    const result = await this.model.forward(x, options);
    return this.head.forward(this.features(result.output, result.h));
  }

  /** Loss (and accuracy counts) of the current weights on a batch, without training. */
  async evaluate(batch: Batch): Promise<EvaluateResult> {
    const result = await this.model.forward(batch.x, forwardOptions(batch));
    const loss = this.lossOf(batch, this.head.forward(this.features(result.output, result.h)));
    return { loss: loss.loss, count: loss.count, correct: loss.correct, state: { h: result.h, c: result.c } };
  }

  /** The loss of a batch and the gradients of every parameter (names as `parameters`), from a
   * recorded forward and its backward; nothing is updated. For loops of one's own (gradient
   * accumulation, other update rules). */
  async gradients(batch: Batch): Promise<GradientsResult> {
    const record = await this.model.recordForward(batch.x, forwardOptions(batch));
    try {
      const features = this.features(record.output, record.h);
      const loss = this.lossOf(batch, this.head.forward(features));
      const dHead = this.head.backward(features, loss.gradient);
      const B = record.h.shape[1];
      const upstream =
        this.readout === 'sequence'
          ? { output: dHead.x }
          : { h: lastHiddenGradient(this.config, B, dHead.x) };
      const g = await record.backward(upstream);
      const gradients: Record<string, Float32Array> = {};
      for (const [name, array] of Object.entries(g.weights)) gradients[`rnn.${name}`] = array;
      gradients['head.weight'] = dHead.weight;
      gradients['head.bias'] = dHead.bias;
      return {
        loss: loss.loss,
        count: loss.count,
        correct: loss.correct,
        state: { h: record.h, c: record.c },
        gradients,
      };
    } finally {
      record.release();
    }
  }

  /** One training step: `gradients`, optional clipping by global norm, the optimizer's update
   * of every parameter, and the model compiled again from the updated weights. Non-finite
   * gradients (a NaN target, a diverged run) reject with INVALID_INPUT before anything changes. */
  async step(batch: Batch): Promise<StepResult> {
    const start = performance.now();
    const { gradients, ...result } = await this.gradients(batch);
    const backwardDone = performance.now();
    const gradNorm = clipGradNorm(gradients, this.clipNorm ?? Infinity);
    if (!Number.isFinite(gradNorm)) {
      // PyTorch would write NaN into the weights; here they could not even be compiled again.
      throw new GatedError(
        'INVALID_INPUT',
        `batch: the gradients are not finite (global norm ${gradNorm}, loss ${result.loss}); the update was not applied`,
      );
    }
    this.optimizer.step(this.parameters, gradients);
    const updated = performance.now();
    await this.recompile();
    return {
      ...result,
      gradNorm,
      ms: {
        forwardBackward: backwardDone - start,
        update: updated - backwardDone,
        compile: performance.now() - updated,
      },
    };
  }

  /** Trains for `epochs` over `train` in batches of `batchSize`, one `step` per batch (or
   * `trainTruncated` with `truncate`), then evaluates `validation`. Batch b of epoch e holds the
   * samples order_e[b·batchSize …], order_e = epochOrders(N, seed)(e) (0..N−1 without shuffle).
   * Progress goes to `onProgress` after every batch and epoch. */
  fit(train: Dataset, options: FitOptions): Promise<History> {
    return fitTrainer(this, train, options);
  }

  /** Loss and accuracy of the current weights over a whole dataset, in batches of `batchSize`
   * (default 256; the same numbers for any batch size, up to rounding). */
  evaluateDataset(dataset: Dataset, batchSize = 256): Promise<Metrics> {
    return evaluateDataset(this, dataset, batchSize);
  }

  /** Compiles the model again from `weights` (after changing them outside `step`). */
  async recompile(): Promise<void> {
    const next = await this.backend.compile(this.config, this.weights);
    this.model.dispose();
    this.model = next;
  }

  dispose(): void {
    this.model.dispose();
  }

  private features(output: Tensor, h: Tensor): Tensor {
    return this.readout === 'sequence' ? output : lastHidden(this.config, h);
  }

  private lossOf(
    batch: Batch,
    predictions: Tensor,
  ): { loss: number; count: number; correct?: number; gradient: Tensor } {
    const steps = batch.x.shape[this.config.batchFirst ? 1 : 0];
    const B = batch.x.shape[this.config.batchFirst ? 0 : 1];
    const mask = this.readout === 'sequence' ? stepMask(this.config, steps, B, batch.seqLens) : null;
    const options = mask === null ? {} : { mask };
    if (this.loss === 'crossEntropy') return crossEntropy(predictions, batch.target.data, options);
    return meanSquaredError(predictions, batch.target, options);
  }
}

function forwardOptions(batch: Batch): { seqLens?: readonly number[]; h0?: Tensor; c0?: Tensor } {
  const { seqLens, h0, c0 } = batch;
  return { seqLens, h0, c0 };
}

/** Builds a Trainer: validates the options and compiles the model once. */
export function createTrainer(options: TrainerOptions): Promise<Trainer> {
  return Trainer.create(options);
}
