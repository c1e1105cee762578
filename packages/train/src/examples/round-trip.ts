import {
  type Backend,
  createRandom,
  type RecurrentConfig,
  type Tensor,
  tensor,
  writeSafetensors,
} from '@gated/core';
import { adam } from '../adam.js';
import type { Readout } from '../readout.js';
import { trainerToSafetensors } from '../save.js';
import type { LossName } from '../trainer.js';
import { createTrainer, type Trainer } from '../trainer.js';

/** A model gated trains for a few steps and PyTorch then loads (tools/train/round_trip.py). */
export interface RoundTripCase {
  readonly name: string;
  readonly config: RecurrentConfig;
  readonly readout: Readout;
  readonly loss: LossName;
  readonly outputs: number;
  readonly steps: number;
  readonly batch: number;
  readonly seqLens: readonly number[];
}

export const ROUND_TRIP_CASES: readonly RoundTripCase[] = [
  {
    name: 'lstm-projection-stack',
    config: { cell: 'lstm', inputSize: 4, hiddenSize: 5, numLayers: 2, projSize: 3 },
    readout: 'sequence',
    loss: 'crossEntropy',
    outputs: 3,
    steps: 6,
    batch: 3,
    seqLens: [6, 4, 2],
  },
  {
    name: 'gru-bidirectional-batch-first',
    config: { cell: 'gru', inputSize: 4, hiddenSize: 4, bidirectional: true, batchFirst: true },
    readout: 'last',
    loss: 'meanSquaredError',
    outputs: 2,
    steps: 5,
    batch: 3,
    seqLens: [5, 3, 1],
  },
  {
    name: 'rnn-relu',
    config: { cell: 'rnn', inputSize: 4, hiddenSize: 6, nonlinearity: 'relu' },
    readout: 'sequence',
    loss: 'meanSquaredError',
    outputs: 2,
    steps: 4,
    batch: 2,
    seqLens: [4, 4],
  },
];

/** Updates gated makes before saving. */
export const ROUND_TRIP_UPDATES = 5;

/** The case's input (seeded), in the model's layout. */
export function roundTripInput(c: RoundTripCase): Tensor {
  const random = createRandom(11);
  const { steps: T, batch: B } = c;
  const I = c.config.inputSize;
  const x = Float32Array.from({ length: T * B * I }, () => random() * 2 - 1);
  return tensor(x, c.config.batchFirst ? [B, T, I] : [T, B, I]);
}

function roundTripTarget(c: RoundTripCase): Tensor {
  const random = createRandom(12);
  const rows = c.readout === 'sequence' ? c.steps * c.batch : c.batch;
  const leading =
    c.readout === 'last' ? [c.batch] : c.config.batchFirst ? [c.batch, c.steps] : [c.steps, c.batch];
  if (c.loss === 'crossEntropy') {
    return tensor(
      Float32Array.from({ length: rows }, () => Math.floor(random() * c.outputs)),
      leading,
    );
  }
  return tensor(
    Float32Array.from({ length: rows * c.outputs }, () => random() * 2 - 1),
    [...leading, c.outputs],
  );
}

/** Trains the case for ROUND_TRIP_UPDATES Adam steps (lr 0.05) from initWeights(seed 21). */
export async function trainRoundTrip(backend: Backend, c: RoundTripCase): Promise<Trainer> {
  const trainer = await createTrainer({
    backend,
    config: c.config,
    outputs: c.outputs,
    readout: c.readout,
    loss: c.loss,
    optimizer: adam({ lr: 0.05 }),
    seed: 21,
  });
  const batch = { x: roundTripInput(c), target: roundTripTarget(c), seqLens: c.seqLens };
  for (let k = 0; k < ROUND_TRIP_UPDATES; k++) await trainer.step(batch);
  return trainer;
}

/** The files of a trained case: rnn and head (trainerToSafetensors) and the input, whose
 * metadata names the seqLens. */
export function roundTripFiles(c: RoundTripCase, trainer: Trainer): Record<string, Uint8Array> {
  const { rnn, head } = trainerToSafetensors(trainer);
  const x = roundTripInput(c);
  return {
    [`${c.name}.rnn.safetensors`]: rnn,
    [`${c.name}.head.safetensors`]: head,
    [`${c.name}.input.safetensors`]: writeSafetensors({ x }, { seq_lens: JSON.stringify(c.seqLens) }),
  };
}
