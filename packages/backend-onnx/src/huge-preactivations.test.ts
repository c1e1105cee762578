import { compareWithTolerance, DEFAULT_TOLERANCE, referenceForward } from '@gated/conformance';
import { type RecurrentConfig, tensor, weightShapes } from '@gated/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createOnnxBackend } from './index.js';
import { RUNTIMES } from './runtimes.test-helper.js';

const T = 3;
const B = 2;
const I = 4;
const H = 6;

/** Finite weights of magnitude 1..2 with mixed signs: one input component of ±3e38 gives
 * pre-activations of about ±6e38, beyond the f32 range (+-Infinity in f32). */
function bigWeights(config: RecurrentConfig): Record<string, Float32Array> {
  const weights: Record<string, Float32Array> = {};
  for (const [name, shape] of Object.entries(weightShapes(config))) {
    const length = shape.reduce((a, b) => a * b, 1);
    weights[name] = Float32Array.from(
      { length },
      (_, i) => (i % 3 === 1 ? -1 : 1) * (1 + ((i * 7) % 10) / 10),
    );
  }
  return weights;
}

/** [T, B, I] small values, with one component of ±3e38 in some rows (at most one per row, so
 * no f32 sum meets +Infinity and -Infinity at once). */
function hugeInput(): Float32Array {
  const x = Float32Array.from({ length: T * B * I }, (_, i) => 0.5 * Math.sin(i));
  x[(0 * B + 0) * I + 1] = 3e38;
  x[(1 * B + 1) * I + 2] = -3e38;
  x[(2 * B + 0) * I + 0] = 3e38;
  x[(2 * B + 1) * I + 3] = -3e38;
  return x;
}

const CONFIGS: readonly RecurrentConfig[] = [
  { cell: 'lstm', inputSize: I, hiddenSize: H },
  { cell: 'gru', inputSize: I, hiddenSize: H, resetAfter: true },
  { cell: 'gru', inputSize: I, hiddenSize: H, resetAfter: false },
  { cell: 'rnn', inputSize: I, hiddenSize: H },
  { cell: 'rnn', inputSize: I, hiddenSize: H, activations: { candidate: 'softsign' } },
  {
    cell: 'rnn',
    inputSize: I,
    hiddenSize: H,
    activations: { candidate: { name: 'scaledTanh', alpha: 1.5, beta: 0.5 } },
  },
  {
    cell: 'lstm',
    inputSize: I,
    hiddenSize: H,
    activations: {
      gate: 'hardSigmoid',
      candidate: 'softsign',
      cell: { name: 'scaledTanh', alpha: 0.7, beta: 1.3 },
    },
  },
  { cell: 'gru', inputSize: I, hiddenSize: H, activations: { gate: 'softsign', candidate: 'softsign' } },
];

const label = (c: RecurrentConfig) =>
  `${c.cell} ${JSON.stringify({ ...c, cell: undefined, inputSize: undefined, hiddenSize: undefined })}`;

function expectReference(actual: Float32Array, expected: ArrayLike<number>): void {
  const comparison = compareWithTolerance(actual, expected, DEFAULT_TOLERANCE);
  expect(comparison.nan, 'NaN outputs').toBe(0);
  expect(comparison.pass, JSON.stringify(comparison.worst)).toBe(true);
}

describe.each(RUNTIMES)(
  '$name: pre-activations beyond the f32 range saturate bounded activations like the float64 reference',
  async ({ options }) => {
    const backend = await createOnnxBackend(options);
    afterAll(() => backend.dispose());

    for (const config of CONFIGS) {
      it(`${label(config)}: forward`, async () => {
        const weights = bigWeights(config);
        const x = hugeInput();
        const model = await backend.compile(config, weights);
        const result = await model.forward(tensor(x, [T, B, I]));
        const reference = referenceForward(config, weights, { data: x, shape: [T, B, I] });
        expectReference(result.output.data, reference.output);
        expectReference(result.h.data, reference.h);
        model.dispose();
      });
    }

    for (const config of [CONFIGS[0], CONFIGS[1], CONFIGS[4]]) {
      it(`${label(config)}: stream steps`, async () => {
        const weights = bigWeights(config);
        const x = hugeInput();
        const model = await backend.compile(config, weights);
        const stream = model.stream({ batch: B });
        const outputs: Float32Array[] = [];
        for (let t = 0; t < T; t++) {
          outputs.push((await stream.step(tensor(x.slice(t * B * I, (t + 1) * B * I), [B, I]))).data);
        }
        const reference = referenceForward(config, weights, { data: x, shape: [T, B, I] });
        expectReference(Float32Array.from(outputs.flatMap((o) => [...o])), reference.output);
        model.dispose();
      });
    }
  },
);
