import type { BackwardJob } from '@gated/core';
import type { GradientWorkspace } from './gradient-workspace.js';
import type { PackedLayer } from './pack-layer.js';
import type { Real } from './real.js';
import type { TapeLayout } from './tape-layout.js';
import type { TransposedWeights } from './transposed-weights.js';

export type GradientJob = BackwardJob<Real, PackedLayer>;

/** The backward of step t of a cell for the whole batch, the `slot`-th step of its chunk. On
 * entry `ws.hidden` holds ∂loss/∂h' of the step's active rows (at `upstreamOffset`), and
 * `job.dh`/`job.dc` the gradients carried from the step after; it writes the step's gate
 * gradients into `ws.gates` (rows slot·B + b) and overwrites the active rows of dh/dc with the
 * gradients of the previous state. */
export type CellStepBackward = (
  job: GradientJob,
  ws: GradientWorkspace,
  weights: TransposedWeights,
  layout: TapeLayout,
  t: number,
  slot: number,
) => void;

/** Where ∂loss/∂h' of the `slot`-th step of a chunk lies in `ws.hidden`: every step's own rows
 * with a projection (∂W_hr multiplies them all after the chunk), else one step's. */
export function upstreamOffset(layer: PackedLayer, slot: number, batch: number): number {
  return layer.weightHr === null ? 0 : slot * batch * layer.outputSize;
}
