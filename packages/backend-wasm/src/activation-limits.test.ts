import { ACTIVATION_NAMES, type ActivationName, activationFunction } from '@gated/core';
import { describe, expect, it } from 'vitest';
import type { GatedWasmExports } from './exports.js';
import { loadModule } from './load-module.js';

// The gate-math exports called on pre-activations of ±Inf (an f32 sum beyond the f32 range):
// each activation must give its limit there, as core's float64 activations do. One row of
// hp = 16 lanes: 8 × +Inf, 8 × −Inf.
const { module } = await loadModule(false);
const memory = new WebAssembly.Memory({ initial: 2 });
const wasm = (await WebAssembly.instantiate(module, { env: { memory } }))
  .exports as unknown as GatedWasmExports;
const HP = 16;
const [PARAMS, PRE, REC, H] = [65536, 65536 + 256, 65536 + 1024, 65536 + 2048];
const f32 = new Float32Array(memory.buffer);
const at = (ptr: number, count: number) => f32.subarray(ptr / 4, ptr / 4 + count);
const INFINITIES = Array.from({ length: HP }, (_, j) => (j < HP / 2 ? Infinity : -Infinity));
const ALPHA = 0.3;
const BETA = 0.6;

/** params as src/layer.ts packs them: (id, α, β) for gate, candidate, cell; clip; coupled. */
function setParams(gate: ActivationName, candidate: ActivationName, clip = Infinity): void {
  const id = (name: ActivationName) => ACTIVATION_NAMES.indexOf(name);
  at(PARAMS, 11).set([id(gate), ALPHA, BETA, id(candidate), ALPHA, BETA, id('tanh'), ALPHA, BETA, clip, 0]);
}

const limit = (name: ActivationName, x: number) =>
  Math.fround(activationFunction({ name, alpha: ALPHA, beta: BETA })(x));

/** Limits at ±Inf exactly (σ(−Inf) is 0, not 6e−39); values at a clip bound, finite inputs
 * evaluated in f32, to f32 accuracy. */
function expectLimits(actual: Float32Array, expected: number[], exact: boolean): void {
  expected.forEach((e, j) => {
    if (exact || !Number.isFinite(e)) expect(`${j}: ${actual[j]}`).toBe(`${j}: ${e}`);
    else expect(Math.abs(actual[j] - e)).toBeLessThanOrEqual(2e-7 * Math.max(1, Math.abs(e)));
  });
}

describe('activations at pre-activations of ±Inf', () => {
  for (const name of ACTIVATION_NAMES) {
    for (const clip of [Infinity, 3]) {
      it(`${name}${clip === Infinity ? '' : ` with clip ${clip}`} gives the float64 limit, never NaN`, () => {
        setParams('sigmoid', name, clip);
        at(PRE, HP).set(INFINITIES);
        at(REC, HP).fill(0);
        wasm.rnnCell(1, HP, 0, 0, PRE, REC, H, PARAMS);
        const bound = (x: number) => Math.min(clip, Math.max(-clip, x));
        expectLimits(
          at(H, HP),
          INFINITIES.map((x) => limit(name, bound(x))),
          clip === Infinity,
        );
      });
    }
  }

  it('blend a GRU state with an overflowed unbounded candidate into ±Inf, not Inf − Inf = NaN', () => {
    // Reset-after rows r, z, n: r, z pre-activations 0 (σ = 0.5), n = ±Inf through affine.
    setParams('sigmoid', 'affine');
    at(PRE, 3 * HP).set([...new Array(2 * HP).fill(0), ...INFINITIES]);
    at(REC, 3 * HP).fill(0);
    at(H, HP).fill(0.5);
    wasm.gruCellResetAfter(1, HP, 0, 0, PRE, REC, H, PARAMS);
    // (1 − z)·n + z·h with z = 0.5 and |n| = ∞: n's infinity.
    expect(Array.from(at(H, HP))).toEqual(INFINITIES);
  });
});
