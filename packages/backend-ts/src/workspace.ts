import type { Real, RealConstructor } from './real.js';
import { createScratch, type Scratch } from './scratch.js';

/** Scratch memory of the step loops, shared by every layer of every model of one backend
 * (runSequence is synchronous, so one sequence runs at a time). Grown on demand before a
 * sequence starts; the steps themselves never allocate. */
export type Workspace = Scratch<{
  /** Input projections of a chunk of steps, [steps·B, G·H]. */
  pre: Real;
  /** Recurrent products of one step, [B, G·H]. */
  recurrent: Real;
  /** LSTM r = o ⊙ h_act(c') before projection, or GRU r ⊙ h, [B, H]. */
  hidden: Real;
  /** LSTM projected h [B, P], or GRU r and z [B, 2H]. */
  gates: Real;
}>;

export function createWorkspace(Real: RealConstructor): Workspace {
  return createScratch({ pre: Real, recurrent: Real, hidden: Real, gates: Real });
}
