import { type CellStep, clipped, recurrentProduct } from './cell-step.js';

/** Elman RNN: h′ = act(W_ih·x + b_ih + W_hh·h + b_hh). */
export const rnnStep: CellStep = (tf, _blocks, layer, xp, state, trace) => {
  const h = layer.candidate(
    clipped(tf, layer, tf.add(xp, recurrentProduct(tf, layer, layer.recurrentKernel, state.h))),
  );
  return { h, c: null, trace: trace ? [h] : null };
};
