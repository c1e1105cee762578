import { createReferenceBackend } from '@gated/conformance';
import { readSafetensors, weightsFromSafetensors } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { trainerToSafetensors } from './save.js';
import { createTrainer } from './trainer.js';

describe('trainerToSafetensors', () => {
  it('writes the recurrent weights under PyTorch names and the head as an nn.Linear state_dict', async () => {
    const config = { cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true } as const;
    const trainer = await createTrainer({
      backend: createReferenceBackend(),
      config,
      outputs: 5,
      readout: 'last',
    });
    const files = trainerToSafetensors(trainer);
    const rnn = weightsFromSafetensors(config, files.rnn);
    for (const [name, value] of Object.entries(trainer.weights)) expect(rnn[name]).toEqual(value);
    const head = readSafetensors(files.head);
    expect(Object.keys(head.tensors)).toEqual(['weight', 'bias']);
    expect(head.tensors.weight.shape).toEqual([5, 8]);
    expect(head.tensors.weight.data).toEqual(trainer.head.weight);
    expect(head.tensors.bias.data).toEqual(trainer.head.bias);
    expect(JSON.parse(head.metadata.gated_config)).toEqual(trainer.config);
    expect(head.metadata.gated_readout).toBe('last');
    trainer.dispose();
  });
});
