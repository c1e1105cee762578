import { GatedError, type Tensor, tensor } from '@gated/core';
import { checkRows, type LossResult } from './cross-entropy.js';

export interface MeanSquaredErrorOptions {
  /** Per row (element of the leading axes): 0 leaves the row out, anything else counts it. */
  mask?: ArrayLike<number>;
}

/** Mean squared error between predictions and targets of one shape [..., F], averaged over
 * every counted value (rows × F): PyTorch's `F.mse_loss(pred, target)` with reduction 'mean'
 * over the rows the mask keeps. `count` is the number of counted rows. */
export function meanSquaredError(
  predictions: Tensor,
  targets: Tensor,
  options: MeanSquaredErrorOptions = {},
): LossResult {
  const F = predictions.shape[predictions.shape.length - 1] ?? 1;
  if (
    targets.data.length !== predictions.data.length ||
    targets.shape.length !== predictions.shape.length ||
    targets.shape.some((d, k) => d !== predictions.shape[k])
  ) {
    throw new GatedError(
      'INVALID_INPUT',
      `targets: expected the predictions' shape [${predictions.shape.join(', ')}], received [${targets.shape.join(', ')}]`,
    );
  }
  const rows = F > 0 ? predictions.data.length / F : 0;
  if (options.mask !== undefined) checkRows('options.mask', options.mask, rows);
  let count = 0;
  for (let r = 0; r < rows; r++) if (options.mask === undefined || options.mask[r] !== 0) count++;
  const n = count * F;
  const gradient = new Float32Array(predictions.data.length);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    if (options.mask !== undefined && options.mask[r] === 0) continue;
    for (let k = r * F; k < (r + 1) * F; k++) {
      const d = predictions.data[k] - targets.data[k];
      total += d * d;
      gradient[k] = (2 * d) / n;
    }
  }
  return { loss: n > 0 ? total / n : 0, gradient: tensor(gradient, [...predictions.shape]), count };
}
