import { type CellStep, clipped, gateBlocks, recurrentProduct } from './cell-step.js';

/** GRU (rows r, z, n), h′ = (1 − z) ⊙ n + z ⊙ h computed as n + z ⊙ (h − n).
 * resetAfter: n = g(x_n + r ⊙ (W_hn·h + b_hn)), one recurrent matMul for r, z and n.
 * resetAfter false: n = g(x_n + W_hn·(r ⊙ h)) (b_hn is in x_n's bias), a second matMul. */
export const gruStep: CellStep = (tf, blocks, layer, xp, state, trace) => {
  const { h } = state;
  const [xr, xz, xn] = gateBlocks(blocks, layer, xp, 3);
  const recurrent = recurrentProduct(tf, layer, layer.recurrentKernel, h);
  const kernelN = layer.recurrentKernelN;
  const [hr, hz, hn] = gateBlocks(blocks, layer, recurrent, kernelN ? 2 : 3);
  const r = layer.gate(clipped(tf, layer, tf.add(xr, hr)));
  const z = layer.gate(clipped(tf, layer, tf.add(xz, hz)));
  const reset = kernelN
    ? recurrentProduct(tf, layer, kernelN, tf.mul(r, h))
    : tf.mul(r, layer.recurrentBiasN ? tf.add(hn, layer.recurrentBiasN) : hn);
  const n = layer.candidate(clipped(tf, layer, tf.add(xn, reset)));
  const hNext = tf.add(n, tf.mul(z, tf.sub(h, n)));
  return { h: hNext, c: null, trace: trace ? [r, z, n] : null };
};
