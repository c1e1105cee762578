import { readdirSync, readFileSync } from 'node:fs';
import { createRandom, initWeights, isGatedError } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { mutate } from './fuzz-mutations.js';
import { exportOnnx, importOnnx } from './index.js';

/** Seeded corrupted models; FUZZ_COUNT and FUZZ_SEED change the count (default the 10,000) and seed. */
const COUNT = Number(process.env.FUZZ_COUNT ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20240601);

function baseModels(): Uint8Array[] {
  const dir = new URL('../fixtures/', import.meta.url);
  const fixtures = readdirSync(dir)
    .filter((f) => f.endsWith('.onnx'))
    .map((f) => new Uint8Array(readFileSync(new URL(f, dir))));
  const peephole = { cell: 'lstm', inputSize: 2, hiddenSize: 2, peephole: true, clip: 1 } as const;
  const activations = {
    cell: 'gru',
    inputSize: 2,
    hiddenSize: 2,
    activations: { gate: { name: 'hardSigmoid', alpha: 0.5 } },
  } as const;
  return [
    ...fixtures,
    exportOnnx(peephole, initWeights(peephole), { initialState: true, sequenceLens: true }),
    exportOnnx(activations, initWeights(activations), { opset: 11 }),
  ];
}

describe('importOnnx on corrupted files', () => {
  it(`throws only INVALID_FILE or UNSUPPORTED for ${COUNT} seeded mutations of valid models`, {
    timeout: 120_000,
  }, () => {
    const bases = baseModels();
    const random = createRandom(SEED);
    const outcomes: Record<string, number> = { imported: 0, INVALID_FILE: 0, UNSUPPORTED: 0 };
    const started = performance.now();
    for (let i = 0; i < COUNT; i++) {
      const { bytes, mutations } = mutate(bases, random);
      try {
        importOnnx(bytes);
        outcomes.imported++;
      } catch (error) {
        const code = isGatedError(error) ? error.code : `unexpected ${String(error)}`;
        if (code !== 'INVALID_FILE' && code !== 'UNSUPPORTED') {
          throw new Error(`mutation ${i} (${mutations.join(', ')}) threw ${code}`, { cause: error });
        }
        outcomes[code]++;
      }
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    console.log(`fuzz: ${COUNT} files in ${seconds} s →`, JSON.stringify(outcomes));
    expect(outcomes.INVALID_FILE + outcomes.UNSUPPORTED + outcomes.imported).toBe(COUNT);
    expect(outcomes.INVALID_FILE).toBeGreaterThan(0);
  });

  it('keeps what one import allocates within a small multiple of the file size', () => {
    // External (ArrayBuffer) memory grown by each import of a corrupted file; garbage collection
    // can only lower the figure, so it catches buffers sized from lying headers that stay live.
    const bases = baseModels();
    const random = createRandom(SEED + 1);
    let worst = 0;
    for (let i = 0; i < 2_000; i++) {
      const { bytes } = mutate(bases, random);
      const before = process.memoryUsage().arrayBuffers;
      try {
        importOnnx(bytes);
      } catch {
        // outcomes are checked by the test above
      }
      const grown = process.memoryUsage().arrayBuffers - before;
      worst = Math.max(worst, grown / Math.max(bytes.length, 64));
    }
    console.log(`fuzz: worst external memory growth per import = ${worst.toFixed(2)} × the file size`);
    expect(worst).toBeLessThan(16);
  });
});
