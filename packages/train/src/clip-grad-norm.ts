import { GatedError } from '@gated/core';
import type { Parameters } from './optimizer.js';

/** Scales every gradient in place so that their global norm is at most `maxNorm`, and returns
 * the norm before scaling: PyTorch's `torch.nn.utils.clip_grad_norm_` (the norm of all
 * gradients as one vector; scale maxNorm / (norm + 1e-6) when below 1, else nothing changes).
 * `normType` 2 (default), any p ≥ 1, or Infinity (largest |g|). */
export function clipGradNorm(gradients: Parameters, maxNorm: number, normType = 2): number {
  if (!(maxNorm > 0)) {
    throw new GatedError('INVALID_INPUT', `maxNorm: expected a number > 0, received ${maxNorm}`);
  }
  if (!(normType >= 1)) {
    throw new GatedError(
      'INVALID_INPUT',
      `normType: expected a number ≥ 1 or Infinity, received ${normType}`,
    );
  }
  const arrays = Object.values(gradients);
  let total = 0;
  for (const g of arrays) {
    for (let k = 0; k < g.length; k++) {
      const a = Math.abs(g[k]);
      if (normType === Infinity) total = Math.max(total, a);
      else total += a ** normType;
    }
  }
  const norm = normType === Infinity ? total : total ** (1 / normType);
  const coefficient = maxNorm / (norm + 1e-6);
  if (coefficient < 1) {
    for (const g of arrays) for (let k = 0; k < g.length; k++) g[k] *= coefficient;
  }
  return norm;
}
