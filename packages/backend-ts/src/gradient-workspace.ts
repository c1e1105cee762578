import type { Real, RealConstructor } from './real.js';
import { createScratch, type Scratch } from './scratch.js';

/** Scratch memory of the backward, shared by every layer of every model of one backend (the
 * backward is synchronous: one runs at a time). Grown before the time loop starts; the steps
 * themselves never allocate. */
export type GradientWorkspace = Scratch<{
  /** Gate pre-activation gradients of every step, [T·B, width] (rows of masked steps zero):
   * the per-step recurrent product reads a step's rows, the weight gradients all of them. */
  gates: Real;
  /** ∂loss/∂h' of every step, [T·B, Hout] (LSTM with projection, for ∂W_hr), or of one step,
   * [B, Hout]. */
  hidden: Real;
  /** [B, H]: LSTM ∂r (projection), GRU ∂(r ⊙ h) (resetBefore). */
  step: Real;
  /** Column sums (bias gradients) and peephole gradients, in double. */
  sums: Float64Array;
}>;

export function createGradientWorkspace(Real: RealConstructor): GradientWorkspace {
  return createScratch({ gates: Real, hidden: Real, step: Real, sums: Float64Array });
}
