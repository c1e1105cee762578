import { readFileSync } from 'node:fs';
import { createTsBackend } from '@gated/backend-ts';
import { createReferenceBackend } from '@gated/conformance';
import { type Backend, readSafetensors, type Tensor, weightsFromSafetensors } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { ROUND_TRIP_CASES, roundTripFiles, roundTripInput, trainRoundTrip } from './examples/round-trip.js';
import { LinearHead } from './linear-head.js';
import { lastHidden } from './readout.js';
import { maxAbsDifference } from './trainer.test-helper.js';

// The fixtures are what gated saved after training and what PyTorch computed after loading
// those files into nn.LSTM / nn.GRU / nn.RNN and nn.Linear unchanged
// (`node scripts/round-trip.mjs`, see tools/train/README.md). Observed max |gated − PyTorch|:
// 1.2e-7 (f32 rounding); 1e-6 allowed.
const read = (name: string) => readFileSync(new URL(`../fixtures/round-trip/${name}`, import.meta.url));
const reference = createReferenceBackend();

describe('round trip: gated trains and saves, PyTorch loads and computes the same', () => {
  for (const c of ROUND_TRIP_CASES) {
    it(`${c.name}: training again writes the weights of the committed files`, async () => {
      const trainer = await trainRoundTrip(reference, c);
      for (const [name, bytes] of Object.entries(roundTripFiles(c, trainer))) {
        const fresh = readSafetensors(bytes);
        const committed = readSafetensors(read(name));
        expect(Object.keys(fresh.tensors)).toEqual(Object.keys(committed.tensors));
        expect(fresh.metadata).toEqual(committed.metadata);
        for (const [tensor, value] of Object.entries(committed.tensors)) {
          // Same float64 reference and update code; only Math.exp/tanh of another platform could
          // differ by an ulp.
          expect(maxAbsDifference(fresh.tensors[tensor].data, value.data)).toBeLessThan(1e-6);
        }
      }
      trainer.dispose();
    });

    for (const [backendName, create] of [
      ['reference', async () => reference],
      ['ts', () => createTsBackend()],
    ] as [string, () => Promise<Backend>][]) {
      it(`${c.name}: gated's ${backendName} backend reproduces PyTorch's outputs from the saved files within 1e-6`, async () => {
        const backend = await create();
        const torch = JSON.parse(read(`${c.name}.torch.json`).toString('utf8')) as Record<string, Tensor>;
        const weights = weightsFromSafetensors(c.config, read(`${c.name}.rnn.safetensors`));
        const headFile = readSafetensors(read(`${c.name}.head.safetensors`));
        const [outputs, inputs] = headFile.tensors.weight.shape;
        const head = new LinearHead(inputs, outputs, {
          weight: headFile.tensors.weight.data,
          bias: headFile.tensors.bias.data,
        });
        const model = await backend.compile(c.config, weights);
        const result = await model.forward(roundTripInput(c), { seqLens: c.seqLens });
        const features = c.readout === 'sequence' ? result.output : lastHidden(model.config, result.h);
        const pairs: [Tensor | undefined, Tensor | undefined][] = [
          [result.output, torch.output],
          [result.h, torch.h],
          [result.c, torch.c],
          [head.forward(features), torch.predictions],
        ];
        for (const [ours, theirs] of pairs) {
          expect(ours?.shape).toEqual(theirs?.shape);
          if (ours && theirs) expect(maxAbsDifference(ours.data, theirs.data)).toBeLessThan(1e-6);
        }
        model.dispose();
      });
    }
  }
});
