import { GatedError } from '@gated/core';
import { checkDataset, type Dataset, epochOrders, gatherBatch } from './dataset.js';
import type { StepResult, Trainer } from './trainer.js';
import { trainTruncated } from './truncated-bptt.js';

/** Loss and, for crossEntropy, accuracy (correct / counted predictions). */
export interface Metrics {
  readonly loss: number;
  readonly accuracy?: number;
}

export interface Progress extends Metrics {
  /** 'batch' after every optimizer step (or chunk series), 'epoch' once per epoch with validation. */
  readonly kind: 'batch' | 'epoch';
  /** 0-based. */
  readonly epoch: number;
  readonly epochs: number;
  /** Batches done in this epoch. */
  readonly batch: number;
  readonly batches: number;
  /** loss / accuracy: running means over this epoch's batches so far. */
  readonly validation?: Metrics;
  /** Milliseconds since fit started. */
  readonly ms: number;
  /** 'batch' only: milliseconds of this batch's update(s) (summed over truncated chunks). */
  readonly stepMs?: StepResult['ms'];
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  /** Default true: a new sample order each epoch (see epochOrders). */
  shuffle?: boolean;
  /** Seed of the shuffle; default 0. */
  seed?: number;
  /** Evaluated after each epoch. */
  validation?: Dataset;
  /** Truncated BPTT: train each batch in chunks of this many steps (readout 'sequence'). */
  truncate?: number;
  /** Keep a last, smaller batch (default true; false drops it, like DataLoader drop_last). */
  keepLast?: boolean;
  onProgress?: (progress: Progress) => void;
}

export interface History {
  /** One entry per epoch: training metrics (means over the epoch) and validation metrics. */
  readonly epochs: readonly { readonly train: Metrics; readonly validation?: Metrics }[];
}

/** Trainer.fit (see there). */
export async function fitTrainer(trainer: Trainer, train: Dataset, options: FitOptions): Promise<History> {
  const N = checkDataset(train, 'train', trainer.readout);
  if (options.validation !== undefined) checkDataset(options.validation, 'validation', trainer.readout);
  const { epochs, batchSize } = options;
  for (const [name, value] of [
    ['epochs', epochs],
    ['batchSize', batchSize],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new GatedError('INVALID_INPUT', `options.${name}: expected an integer ≥ 1, received ${value}`);
    }
  }
  const order = options.shuffle === false ? null : epochOrders(N, options.seed ?? 0);
  const natural = Int32Array.from({ length: N }, (_, k) => k);
  const batches = options.keepLast === false ? Math.floor(N / batchSize) : Math.ceil(N / batchSize);
  const layout = { batchFirst: trainer.config.batchFirst, readout: trainer.readout };
  const start = performance.now();
  const history: { train: Metrics; validation?: Metrics }[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const indices = order === null ? natural : order(epoch);
    const sums = { loss: 0, count: 0, correct: 0 };
    for (let b = 0; b < batches; b++) {
      const batch = gatherBatch(
        train,
        indices.subarray(b * batchSize, Math.min(N, (b + 1) * batchSize)),
        layout,
      );
      const result =
        options.truncate === undefined
          ? await trainer.step(batch)
          : await trainTruncated(trainer, batch, { steps: options.truncate });
      sums.loss += result.loss * result.count;
      sums.count += result.count;
      sums.correct += result.correct ?? 0;
      const steps = 'chunks' in result ? result.chunks : [result];
      const stepMs = { forwardBackward: 0, update: 0, compile: 0 };
      for (const { ms } of steps) {
        stepMs.forwardBackward += ms.forwardBackward;
        stepMs.update += ms.update;
        stepMs.compile += ms.compile;
      }
      options.onProgress?.({
        kind: 'batch',
        epoch,
        epochs,
        batch: b + 1,
        batches,
        ...metrics(trainer, sums),
        ms: performance.now() - start,
        stepMs,
      });
    }
    const entry: { train: Metrics; validation?: Metrics } = { train: metrics(trainer, sums) };
    if (options.validation !== undefined)
      entry.validation = await evaluateDataset(trainer, options.validation, batchSize);
    history.push(entry);
    options.onProgress?.({
      kind: 'epoch',
      epoch,
      epochs,
      batch: batches,
      batches,
      ...entry.train,
      ...(entry.validation ? { validation: entry.validation } : {}),
      ms: performance.now() - start,
    });
  }
  return { epochs: history };
}

/** Trainer.evaluateDataset (see there). */
export async function evaluateDataset(trainer: Trainer, dataset: Dataset, batchSize = 256): Promise<Metrics> {
  const N = checkDataset(dataset, 'dataset', trainer.readout);
  const layout = { batchFirst: trainer.config.batchFirst, readout: trainer.readout };
  const natural = Int32Array.from({ length: N }, (_, k) => k);
  const sums = { loss: 0, count: 0, correct: 0 };
  for (let start = 0; start < N; start += batchSize) {
    const result = await trainer.evaluate(
      gatherBatch(dataset, natural.subarray(start, Math.min(N, start + batchSize)), layout),
    );
    sums.loss += result.loss * result.count;
    sums.count += result.count;
    sums.correct += result.correct ?? 0;
  }
  return metrics(trainer, sums);
}

function metrics(trainer: Trainer, sums: { loss: number; count: number; correct: number }): Metrics {
  const loss = sums.count > 0 ? sums.loss / sums.count : 0;
  return trainer.loss === 'crossEntropy'
    ? { loss, accuracy: sums.count > 0 ? sums.correct / sums.count : 0 }
    : { loss };
}
