import { createReferenceBackend } from '@gated/conformance';
import { describe, expect, it } from 'vitest';
import { adam } from './adam.js';
import { gatherBatch } from './dataset.js';
import { sgd } from './sgd.js';
import { createTrainer } from './trainer.js';
import { maxAbsDifference, toyDataset } from './trainer.test-helper.js';
import { trainTruncated } from './truncated-bptt.js';

const backend = createReferenceBackend();
const config = { cell: 'lstm', inputSize: 3, hiddenSize: 4 } as const;
const data = toyDataset({ samples: 3, steps: 8, inputs: 3, readout: 'sequence', lengths: true });
const batch = gatherBatch(data, [0, 1, 2], { batchFirst: false, readout: 'sequence' });

describe('trainTruncated', () => {
  it('equals full backpropagation through time when a chunk covers the whole sequence', async () => {
    const full = await createTrainer({ backend, config, outputs: 3, optimizer: adam({ lr: 0.01 }), seed: 6 });
    const truncated = await createTrainer({
      backend,
      config,
      outputs: 3,
      optimizer: adam({ lr: 0.01 }),
      seed: 6,
    });
    for (let k = 0; k < 3; k++) {
      const a = await full.step(batch);
      const b = await trainTruncated(truncated, batch, { steps: 8 });
      expect(b.chunks).toHaveLength(1);
      expect(b.loss).toBe(a.loss);
    }
    for (const [name, value] of Object.entries(full.parameters)) {
      expect(maxAbsDifference(truncated.parameters[name], value)).toBe(0);
    }
    full.dispose();
    truncated.dispose();
  });

  it('carries the state across chunks: with no update, the chunks give the full sequence loss and final state', async () => {
    const trainer = await createTrainer({ backend, config, outputs: 3, optimizer: sgd({ lr: 0 }), seed: 6 });
    const whole = await trainer.evaluate(batch);
    const chunked = await trainTruncated(trainer, batch, { steps: 3 });
    expect(chunked.chunks.map((c) => c.count)).toEqual([
      whole.count - chunked.chunks[1].count - chunked.chunks[2].count,
      chunked.chunks[1].count,
      chunked.chunks[2].count,
    ]);
    expect(chunked.count).toBe(whole.count);
    expect(chunked.loss).toBeCloseTo(whole.loss, 6);
    expect(maxAbsDifference(chunked.state.h.data, whole.state.h.data)).toBeLessThan(1e-6);
    expect(maxAbsDifference(chunked.state.c!.data, whole.state.c!.data)).toBeLessThan(1e-6);
    trainer.dispose();
  });

  it('backpropagates into each chunk only: chunk 2 gets the gradients of a forward started from the carried state', async () => {
    const trainer = await createTrainer({ backend, config, outputs: 3, optimizer: sgd({ lr: 0 }), seed: 6 });
    const { sliceSteps } = await import('./truncated-bptt.js');
    const first = await trainer.evaluate({
      x: sliceSteps(batch.x, 0, 0, 4),
      target: sliceSteps(batch.target, 0, 0, 4),
      seqLens: batch.seqLens!.map((L) => Math.min(L, 4)),
    });
    const second = await trainer.gradients({
      x: sliceSteps(batch.x, 0, 4, 8),
      target: sliceSteps(batch.target, 0, 4, 8),
      seqLens: batch.seqLens!.map((L) => Math.max(0, L - 4)),
      h0: first.state.h,
      c0: first.state.c,
    });
    // sgd with lr 0 leaves weights as they are; step reports each chunk's gradient norm.
    const chunked = await trainTruncated(trainer, batch, { steps: 4 });
    const norm = Math.sqrt(
      Object.values(second.gradients).reduce((s, g) => s + g.reduce((t, v) => t + v * v, 0), 0),
    );
    expect(chunked.chunks[1].gradNorm).toBeCloseTo(norm, 6);
    trainer.dispose();
  });

  it('refuses a last-step readout', async () => {
    const trainer = await createTrainer({ backend, config, outputs: 3, readout: 'last' });
    await expect(trainTruncated(trainer, batch, { steps: 2 })).rejects.toThrow(
      /truncated BPTT needs 'sequence'/,
    );
    trainer.dispose();
  });
});
