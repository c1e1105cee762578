import { initWeights, isGatedError, type RecurrentConfig, tensor } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { createTsBackend } from './create-ts-backend.js';
import { createTsKernels } from './ts-kernels.js';

const config: RecurrentConfig = { cell: 'lstm', inputSize: 3, hiddenSize: 4 };

class LyingFloat32Array extends Float32Array {
  override get length(): number {
    return 1 << 20;
  }
}

describe('backend-ts on hostile input', () => {
  it('runs x with a lying length on its true values (was a RangeError)', async () => {
    const backend = await createTsBackend();
    const model = await backend.compile(config, initWeights(config, { seed: 1 }));
    const values = new Float32Array(6).map((_, k) => k / 6);
    const honest = await model.forward(tensor(values, [2, 1, 3]));
    const lying = await model.forward({ data: new LyingFloat32Array(values), shape: [2, 1, 3] });
    expect(Array.from(lying.output.data)).toEqual(Array.from(honest.output.data));
    backend.dispose();
  });

  it('compiles the weights validation saw, not what a getter answers later', async () => {
    const backend = await createTsBackend();
    const weights = initWeights(config, { seed: 1 });
    let reads = 0;
    const sneaky = Object.defineProperty({ ...weights }, 'weight_hh_l0', {
      enumerable: true,
      get: () => (++reads === 1 ? weights.weight_hh_l0 : new Float32Array(64).fill(Number.NaN)),
    });
    const model = await backend.compile(config, sneaky);
    const { output } = await model.forward(tensor(new Float32Array(3).fill(0.5), [1, 1, 3]));
    expect(output.data.every(Number.isFinite)).toBe(true);
    backend.dispose();
  });

  it('refuses a kernel write past a buffer end with a GatedError', () => {
    const kernels = createTsKernels();
    const buffer = kernels.alloc(4);
    expect(() => kernels.write(buffer, new Float32Array(3), 2)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => kernels.write(buffer, new LyingFloat32Array(5))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });

  it('validates options as every backend does: INVALID_CONFIG with a did-you-mean', async () => {
    const error = await createTsBackend({ precison: 'f64' } as never).catch((e: unknown) => e);
    expect(isGatedError(error, 'INVALID_CONFIG')).toBe(true);
    expect((error as Error).message).toContain('did you mean precision?');
    await expect(createTsBackend('f64' as never)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
