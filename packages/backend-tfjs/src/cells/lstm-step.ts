import { type CellStep, clipped, gateBlocks, recurrentProduct } from './cell-step.js';

/** LSTM (rows i, f, g, o): peepholes read the old c for i and f and the new c′ for o; coupled
 * input-forget takes f = 1 − i; a projection maps r = o ⊙ h_act(c′) to h′ = W_hr · r. */
export const lstmStep: CellStep = (tf, blocks, layer, xp, state, trace) => {
  const c = state.c!;
  if (layer.sigmoidAllGates) {
    // The g rows were doubled at packing: σ of block 2 is σ(2·a_g), and tanh(a_g) = 2·σ(2·a_g) − 1.
    const { one, two } = layer.sigmoidAllGates;
    const a = tf.add(xp, recurrentProduct(tf, layer, layer.recurrentKernel, state.h));
    const [i, f, sg, o] = gateBlocks(blocks, layer, tf.sigmoid(a), 4);
    const g = tf.sub(tf.mul(sg, two), one);
    const cNext = tf.add(tf.mul(f, c), tf.mul(i, g));
    const r = tf.mul(o, layer.cellOutput(cNext));
    const h = layer.projection ? recurrentProduct(tf, layer, layer.projection, r) : r;
    return { h, c: cNext, trace: trace ? [i, f, g, o, cNext] : null };
  }
  const a = tf.add(xp, recurrentProduct(tf, layer, layer.recurrentKernel, state.h));
  let [ai, af, ag, ao] = gateBlocks(blocks, layer, a, 4);
  const peep = layer.peepholes;
  if (peep) {
    ai = tf.add(ai, tf.mul(peep.i, c));
    af = tf.add(af, tf.mul(peep.f, c));
  }
  const i = layer.gate(clipped(tf, layer, ai));
  const f = layer.spec.config.coupledInputForget ? tf.sub(1, i) : layer.gate(clipped(tf, layer, af));
  const g = layer.candidate(clipped(tf, layer, ag));
  const cNext = tf.add(tf.mul(f, c), tf.mul(i, g));
  if (peep) ao = tf.add(ao, tf.mul(peep.o, cNext));
  const o = layer.gate(clipped(tf, layer, ao));
  const r = tf.mul(o, layer.cellOutput(cNext));
  const h = layer.projection ? recurrentProduct(tf, layer, layer.projection, r) : r;
  return { h, c: cNext, trace: trace ? [i, f, g, o, cNext] : null };
};
