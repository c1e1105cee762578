import { createReferenceBackend } from '@gated/conformance';
import { describe, expect, it } from 'vitest';
import { gatherBatch } from './dataset.js';
import { sgd } from './sgd.js';
import { createTrainer, type Trainer } from './trainer.js';
import { copyParameters, maxAbsDifference, toyDataset } from './trainer.test-helper.js';

const backend = createReferenceBackend();

/** Central finite differences of the trainer's loss on `batch` for a few entries of each
 * parameter, against `trainer.gradients` (float64 reference inside, f32 in and out): the
 * worst relative difference (observed 4e-5 and 2e-4: f32 rounding of the loss over 2h). */
async function checkAgainstFiniteDifferences(trainer: Trainer, batch: Parameters<Trainer['gradients']>[0]) {
  const { gradients } = await trainer.gradients(batch);
  const h = 1e-2;
  let worst = 0;
  for (const [name, parameter] of Object.entries(trainer.parameters)) {
    for (const k of [0, Math.floor(parameter.length / 2), parameter.length - 1]) {
      const saved = parameter[k];
      parameter[k] = saved + h;
      await trainer.recompile();
      const plus = (await trainer.evaluate(batch)).loss;
      parameter[k] = saved - h;
      await trainer.recompile();
      const minus = (await trainer.evaluate(batch)).loss;
      parameter[k] = saved;
      const fd = (plus - minus) / (Math.fround(saved + h) - Math.fround(saved - h));
      worst = Math.max(worst, Math.abs(fd - gradients[name][k]) / Math.max(1e-2, Math.abs(fd)));
    }
  }
  await trainer.recompile();
  return worst;
}

describe('Trainer', () => {
  it('gives the gradient of its loss for a sequence readout with padded steps (LSTM, finite differences)', async () => {
    const config = { cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2 } as const;
    const trainer = await createTrainer({ backend, config, outputs: 3, seed: 2 });
    const data = toyDataset({ samples: 4, steps: 5, inputs: 3, readout: 'sequence', lengths: true });
    const batch = gatherBatch(data, [0, 1, 2, 3], { batchFirst: false, readout: 'sequence' });
    expect(await checkAgainstFiniteDifferences(trainer, batch)).toBeLessThan(2e-3);
    trainer.dispose();
  });

  it('gives the gradient of its loss for a last-step readout, MSE, bidirectional GRU batchFirst', async () => {
    const config = {
      cell: 'gru',
      inputSize: 2,
      hiddenSize: 3,
      bidirectional: true,
      batchFirst: true,
    } as const;
    const trainer = await createTrainer({
      backend,
      config,
      outputs: 2,
      readout: 'last',
      loss: 'meanSquaredError',
      seed: 4,
    });
    const data = toyDataset({
      samples: 3,
      steps: 4,
      inputs: 2,
      readout: 'last',
      regression: true,
      lengths: true,
    });
    const batch = gatherBatch(data, [2, 0, 1], { batchFirst: true, readout: 'last' });
    expect(batch.x.shape).toEqual([3, 4, 2]);
    expect(await checkAgainstFiniteDifferences(trainer, batch)).toBeLessThan(2e-3);
    trainer.dispose();
  });

  it('updates every parameter by the optimizer from those gradients and recompiles the model', async () => {
    const config = { cell: 'rnn', inputSize: 2, hiddenSize: 3 } as const;
    const trainer = await createTrainer({
      backend,
      config,
      outputs: 2,
      optimizer: sgd({ lr: 0.5 }),
      seed: 3,
    });
    const data = toyDataset({ samples: 2, steps: 3, inputs: 2, classes: 2, readout: 'sequence' });
    const batch = gatherBatch(data, [0, 1], { batchFirst: false, readout: 'sequence' });
    const before = copyParameters(trainer.parameters);
    const { gradients } = await trainer.gradients(batch);
    const step = await trainer.step(batch);
    for (const [name, value] of Object.entries(trainer.parameters)) {
      const expected = before[name].map((p, k) => p - 0.5 * gradients[name][k]);
      expect(maxAbsDifference(value, expected)).toBeLessThan(1e-6);
    }
    expect(step.ms.compile).toBeGreaterThanOrEqual(0);
    // The recompiled model sees the new weights: its loss is the one evaluate reports after.
    expect((await trainer.evaluate(batch)).loss).toBeLessThan(step.loss);
    trainer.dispose();
  });

  it('clips the global norm of all gradients (recurrent and head) before the update', async () => {
    const config = { cell: 'lstm', inputSize: 2, hiddenSize: 3 } as const;
    const make = (clipNorm?: number) =>
      createTrainer({ backend, config, outputs: 2, optimizer: sgd({ lr: 1 }), clipNorm, seed: 5 });
    const data = toyDataset({ samples: 2, steps: 3, inputs: 2, classes: 2, readout: 'sequence' });
    const batch = gatherBatch(data, [0, 1], { batchFirst: false, readout: 'sequence' });
    const plain = await make();
    const clipped = await make(1e-3);
    const before = copyParameters(plain.parameters);
    const a = await plain.step(batch);
    const b = await clipped.step(batch);
    expect(b.gradNorm).toBeCloseTo(a.gradNorm, 6);
    let moved = 0;
    for (const [name, value] of Object.entries(clipped.parameters)) {
      for (let k = 0; k < value.length; k++) moved += (value[k] - before[name][k]) ** 2;
    }
    expect(Math.sqrt(moved)).toBeCloseTo(1e-3, 5);
    plain.dispose();
    clipped.dispose();
  });

  it('refuses non-finite gradients before changing any weight', async () => {
    const config = { cell: 'gru', inputSize: 2, hiddenSize: 3 } as const;
    const trainer = await createTrainer({
      backend,
      config,
      outputs: 2,
      readout: 'last',
      loss: 'meanSquaredError',
    });
    const data = toyDataset({ samples: 2, steps: 3, inputs: 2, readout: 'last', regression: true });
    const batch = gatherBatch(data, [0, 1], { batchFirst: false, readout: 'last' });
    const poisoned = {
      ...batch,
      target: { ...batch.target, data: batch.target.data.map((v, k) => (k === 1 ? NaN : v)) },
    };
    const before = copyParameters(trainer.parameters);
    await expect(trainer.step(poisoned)).rejects.toThrow(/finite/);
    expect(trainer.parameters).toEqual(before);
    expect((await trainer.step(batch)).loss).toBeGreaterThan(0);
    trainer.dispose();
  });

  it('refuses a head whose input is not the readout size', async () => {
    const { LinearHead } = await import('./linear-head.js');
    await expect(
      createTrainer({
        backend,
        config: { cell: 'gru', inputSize: 2, hiddenSize: 3 },
        head: LinearHead.init(4, 2),
      }),
    ).rejects.toThrow(/head\.inputs: expected 3/);
  });
});
