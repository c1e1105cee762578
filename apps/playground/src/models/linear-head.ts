import type { LinearHead } from './loaded-model.js';

/** logits[t] = W·h[t] + b for every step: h [T, Hout] row-major → [T, classes], in f32 as
 * PyTorch's nn.Linear computes it (products summed in f64 here, rounded once: within 1e-6). */
export function applyHead(head: LinearHead, h: Float32Array, steps: number): Float32Array {
  const classes = head.bias.length;
  const size = head.weight.length / classes;
  const out = new Float32Array(steps * classes);
  for (let t = 0; t < steps; t++) {
    for (let k = 0; k < classes; k++) {
      let sum = head.bias[k];
      for (let j = 0; j < size; j++) sum += head.weight[k * size + j] * h[t * size + j];
      out[t * classes + k] = sum;
    }
  }
  return out;
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
