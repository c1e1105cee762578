import type { TfLayer } from '../pack-layer.js';
import type { RowBlocks } from '../row-blocks.js';
import type { Tf, TfTensor } from '../tfjs-module.js';

/** The state between steps, feature-major: h [Hout, B], c [H, B] (LSTM) or null. */
export interface CellState {
  readonly h: TfTensor;
  readonly c: TfTensor | null;
}

/** A step's new state and, when asked, its gate trace in GATE_TRACE order ([H, B] each). */
export interface StepResult extends CellState {
  readonly trace: readonly TfTensor[] | null;
}

/** One step of a cell from the step's input projection `xp` [G·H, B] (bias included): one
 * recurrent matMul for all gates (two for a GRU with resetAfter false, whose n gate multiplies
 * r ⊙ h), then the gate math as elementwise ops on contiguous row blocks. Runs inside tf.tidy. */
export type CellStep = (
  tf: Tf,
  blocks: RowBlocks,
  layer: TfLayer,
  xp: TfTensor,
  state: CellState,
  trace: boolean,
) => StepResult;

/** The product of a recurrent weight with the state in the layer's layout: W · hᵀ (feature,
 * kernel [rows, units]) or h · Wᵀ (batch, kernel [units, rows]). */
export function recurrentProduct(tf: Tf, layer: TfLayer, kernel: TfTensor, h: TfTensor): TfTensor {
  return layer.layout === 'feature' ? tf.matMul(kernel, h) : tf.matMul(h, kernel);
}

/** The `count` gate blocks of a step's pre-activations: row blocks (feature layout) or column
 * blocks (batch layout). */
export function gateBlocks(blocks: RowBlocks, layer: TfLayer, x: TfTensor, count: number): TfTensor[] {
  return layer.layout === 'feature' ? blocks.split(x, count) : blocks.splitColumns(x, count);
}

/** clamp(x, -clip, clip) before an activation, when the config has a clip. */
export function clipped(tf: Tf, layer: TfLayer, x: TfTensor): TfTensor {
  return layer.clip === null ? x : tf.clipByValue(x, -layer.clip, layer.clip);
}
