import { tensor } from '@gated/core';
import { LinearHead as TrainedLinear } from '@gated/train';
import type { LinearHead } from './loaded-model.js';

/** logits[t] = W·h[t] + b for every step: h [T, Hout] row-major → [T, classes], with
 * @gated/train's nn.Linear (the head the bundled models were trained with in PyTorch). */
export function applyHead(head: LinearHead, h: Float32Array, steps: number): Float32Array {
  const classes = head.bias.length;
  const size = head.weight.length / classes;
  const linear = new TrainedLinear(size, classes, { weight: head.weight, bias: head.bias });
  return linear.forward(tensor(h, [steps, size])).data;
}

/** Softmax of each row of `logits` [T, classes]. */
export function softmaxRows(logits: Float32Array, classes: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let row = 0; row < logits.length; row += classes) {
    let max = -Infinity;
    for (let k = 0; k < classes; k++) max = Math.max(max, logits[row + k]);
    let total = 0;
    for (let k = 0; k < classes; k++) total += Math.exp(logits[row + k] - max);
    for (let k = 0; k < classes; k++) out[row + k] = Math.exp(logits[row + k] - max) / total;
  }
  return out;
}
