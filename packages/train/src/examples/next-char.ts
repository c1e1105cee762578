import { type Backend, createRandom, initWeights, tensor } from '@gated/core';
import { adam } from '../adam.js';
import { type Dataset, epochOrders } from '../dataset.js';
import type { Progress } from '../fit.js';
import { LinearHead } from '../linear-head.js';
import { createTrainer } from '../trainer.js';

/** Character-level next-token prediction on text from a small seeded grammar: the example
 * that gated trains in Node and PyTorch trains the same way (tools/train/next_char_torch.py),
 * from the same initial weights, on the same batches in the same order. */
export interface NextCharSettings {
  readonly name: string;
  readonly cell: 'lstm' | 'gru';
  readonly hiddenSize: number;
  /** Characters per sequence (T); the target is the text shifted by one. */
  readonly steps: number;
  readonly trainSequences: number;
  readonly validationSequences: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly clipNorm: number;
  readonly seed: number;
}

export const NEXT_CHAR_SETTINGS: Readonly<Record<string, NextCharSettings>> = {
  full: {
    name: 'full',
    cell: 'lstm',
    hiddenSize: 64,
    steps: 32,
    trainSequences: 1024,
    validationSequences: 256,
    epochs: 6,
    batchSize: 32,
    lr: 0.01,
    clipNorm: 1,
    seed: 1,
  },
  small: {
    name: 'small',
    cell: 'gru',
    hiddenSize: 32,
    steps: 16,
    trainSequences: 192,
    validationSequences: 64,
    epochs: 4,
    batchSize: 16,
    lr: 0.03,
    clipNorm: 1,
    seed: 2,
  },
};

const SUBJECTS = ['the cat', 'a dog', 'my aunt', 'the old man', 'a bird', 'the girl', 'his brother', 'we'];
const VERBS = ['sees', 'likes', 'chases', 'finds', 'hears', 'paints', 'wants'];
const OBJECTS = ['the ball', 'a red kite', 'the river', 'her hat', 'the moon', 'a small box', 'it'];
const ENDINGS = ['.', ' today.', ' again.', ' at night.'];

/** `length` characters of sentences "subject verb object ending " drawn with `seed`. */
export function grammarText(length: number, seed: number): string {
  const random = createRandom(seed);
  const pick = (words: readonly string[]) => words[Math.floor(random() * words.length)];
  let text = '';
  while (text.length < length) text += `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)}${pick(ENDINGS)} `;
  return text.slice(0, length);
}

/** Every character the grammar can write, sorted: the classes and one-hot inputs. */
export const VOCABULARY = [...new Set([...SUBJECTS, ...VERBS, ...OBJECTS, ...ENDINGS, ' '].join(''))]
  .sort()
  .join('');

/** Sequence n of a text: x = one-hot of text[n·T … n·T+T−1], target = text[n·T+1 … n·T+T]. */
export function nextCharDataset(text: string, steps: number): Dataset {
  const V = VOCABULARY.length;
  const N = Math.floor((text.length - 1) / steps);
  const x = new Float32Array(N * steps * V);
  const target = new Float32Array(N * steps);
  for (let n = 0; n < N; n++) {
    for (let t = 0; t < steps; t++) {
      const k = n * steps + t;
      x[k * V + VOCABULARY.indexOf(text[k])] = 1;
      target[k] = VOCABULARY.indexOf(text[k + 1]);
    }
  }
  return { x: tensor(x, [N, steps, V]), target: tensor(target, [N, steps]) };
}

/** The texts of a setting: training and held-out text from different seeds. */
export function nextCharTexts(s: NextCharSettings): { train: string; validation: string } {
  return {
    train: grammarText(s.trainSequences * s.steps + 1, 1000 + s.seed),
    validation: grammarText(s.validationSequences * s.steps + 1, 2000 + s.seed),
  };
}

export function nextCharConfig(s: NextCharSettings) {
  return { cell: s.cell, inputSize: VOCABULARY.length, hiddenSize: s.hiddenSize } as const;
}

/** Everything PyTorch needs to train the same model on the same batches: texts, vocabulary,
 * hyperparameters, gated's initial weights (initWeights(config, seed) and LinearHead.init(…,
 * seed + 1), what createTrainer draws) and the sample order of every epoch. */
export function nextCharSpec(s: NextCharSettings) {
  const config = nextCharConfig(s);
  const head = LinearHead.init(s.hiddenSize, VOCABULARY.length, { seed: s.seed + 1 });
  const order = epochOrders(s.trainSequences, s.seed);
  const list = (a: Float32Array) => Array.from(a);
  return {
    settings: s,
    vocabulary: VOCABULARY,
    texts: nextCharTexts(s),
    config,
    weights: Object.fromEntries(
      Object.entries(initWeights(config, { seed: s.seed })).map(([n, a]) => [n, list(a)]),
    ),
    head: { weight: list(head.weight), bias: list(head.bias) },
    orders: Array.from({ length: s.epochs }, (_, e) => Array.from(order(e))),
  };
}

export interface NextCharResult {
  /** Held-out next-character accuracy after the last epoch. */
  readonly accuracy: number;
  readonly loss: number;
  readonly trainLoss: number;
  readonly updates: number;
  /** Mean milliseconds per update: forward + backward, optimizer, recompile. */
  readonly msPerUpdate: {
    readonly forwardBackward: number;
    readonly update: number;
    readonly compile: number;
  };
}

/** Trains the setting in gated: Adam(lr), clip_grad_norm_(clipNorm), cross-entropy over every
 * step, `epochs` epochs of shuffled batches (epochOrders(N, seed)). */
export async function trainNextChar(
  backend: Backend,
  s: NextCharSettings,
  onProgress?: (p: Progress) => void,
): Promise<NextCharResult> {
  const texts = nextCharTexts(s);
  const train = nextCharDataset(texts.train, s.steps);
  const validation = nextCharDataset(texts.validation, s.steps);
  const trainer = await createTrainer({
    backend,
    config: nextCharConfig(s),
    outputs: VOCABULARY.length,
    optimizer: adam({ lr: s.lr }),
    clipNorm: s.clipNorm,
    seed: s.seed,
  });
  const ms = { forwardBackward: 0, update: 0, compile: 0 };
  let updates = 0;
  const history = await trainer.fit(train, {
    epochs: s.epochs,
    batchSize: s.batchSize,
    seed: s.seed,
    onProgress: (p) => {
      if (p.stepMs) {
        updates++;
        ms.forwardBackward += p.stepMs.forwardBackward;
        ms.update += p.stepMs.update;
        ms.compile += p.stepMs.compile;
      }
      onProgress?.(p);
    },
  });
  const held = await trainer.evaluateDataset(validation);
  trainer.dispose();
  const per = (v: number) => v / Math.max(1, updates);
  return {
    accuracy: held.accuracy ?? 0,
    loss: held.loss,
    trainLoss: history.epochs[history.epochs.length - 1].train.loss,
    updates,
    msPerUpdate: {
      forwardBackward: per(ms.forwardBackward),
      update: per(ms.update),
      compile: per(ms.compile),
    },
  };
}
