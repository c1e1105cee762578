import { createReferenceBackend } from '@gated/conformance';
import { describe, expect, it } from 'vitest';
import { adam } from './adam.js';
import { epochOrders } from './dataset.js';
import type { Progress } from './fit.js';
import { createTrainer } from './trainer.js';
import { toyDataset } from './trainer.test-helper.js';

const backend = createReferenceBackend();
const config = { cell: 'gru', inputSize: 2, hiddenSize: 6 } as const;
const train = toyDataset({ samples: 24, steps: 5, inputs: 2, readout: 'last', seed: 1 });
const validation = toyDataset({ samples: 12, steps: 5, inputs: 2, readout: 'last', seed: 2 });

describe('Trainer.fit', () => {
  it('lowers the training loss and reports every batch and epoch with validation', async () => {
    const trainer = await createTrainer({
      backend,
      config,
      outputs: 3,
      readout: 'last',
      optimizer: adam({ lr: 0.05 }),
      seed: 1,
    });
    const before = await trainer.evaluateDataset(train);
    const events: Progress[] = [];
    const history = await trainer.fit(train, {
      epochs: 4,
      batchSize: 10,
      validation,
      onProgress: (p) => events.push(p),
    });
    const after = await trainer.evaluateDataset(train);
    expect(after.loss).toBeLessThan(before.loss);
    expect(events.filter((e) => e.kind === 'batch')).toHaveLength(4 * 3);
    const epochs = events.filter((e) => e.kind === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3]);
    expect(epochs.every((e) => e.validation !== undefined && e.accuracy !== undefined)).toBe(true);
    const last = await trainer.evaluateDataset(validation, 5);
    expect(history.epochs[3].validation?.loss).toBeCloseTo(last.loss, 6);
    expect(history.epochs[3].validation?.accuracy).toBe(last.accuracy);
    trainer.dispose();
  });

  it('is reproducible from its seed and differs with another seed', async () => {
    const run = async (seed: number) => {
      const trainer = await createTrainer({ backend, config, outputs: 3, readout: 'last', seed: 1 });
      await trainer.fit(train, { epochs: 2, batchSize: 8, seed });
      const weights = Float32Array.from(trainer.parameters['rnn.weight_hh_l0']);
      trainer.dispose();
      return weights;
    };
    const a = await run(7);
    expect(await run(7)).toEqual(a);
    expect(await run(8)).not.toEqual(a);
  });

  it('draws a permutation per epoch from one seeded generator', () => {
    const order = epochOrders(10, 3);
    const first = Array.from(order(0));
    expect([...first].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(order(1))).not.toEqual(first);
    expect(Array.from(epochOrders(10, 3)(0))).toEqual(first);
  });

  it('trains in truncated chunks when asked (sequence readout)', async () => {
    const data = toyDataset({ samples: 6, steps: 9, inputs: 2, readout: 'sequence', lengths: true });
    const trainer = await createTrainer({
      backend,
      config,
      outputs: 3,
      optimizer: adam({ lr: 0.05 }),
      seed: 2,
    });
    const before = await trainer.evaluateDataset(data);
    let batches = 0;
    await trainer.fit(data, {
      epochs: 3,
      batchSize: 3,
      truncate: 4,
      onProgress: (p) => {
        if (p.kind === 'batch') batches++;
      },
    });
    expect(batches).toBe(6);
    expect((await trainer.evaluateDataset(data)).loss).toBeLessThan(before.loss);
    trainer.dispose();
  });

  it('names a dataset whose targets do not match its samples', async () => {
    const trainer = await createTrainer({ backend, config, outputs: 3, readout: 'sequence' });
    await expect(trainer.fit(train, { epochs: 1, batchSize: 4 })).rejects.toThrow(/train\.target/);
    trainer.dispose();
  });
});
