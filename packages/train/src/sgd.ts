import { GatedError } from '@gated/core';
import { checkHyperparameter, type Optimizer, type Parameters, pairedNames } from './optimizer.js';

export interface SgdOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
}

/** Stochastic gradient descent with PyTorch's `torch.optim.SGD` update rule and defaults
 * (momentum 0, dampening 0, weight_decay 0, nesterov false):
 *   g ← grad + wd·p;  with momentum: b ← g on the first step, else μ·b + (1 − τ)·g;
 *   g ← nesterov ? g + μ·b : b;  p ← p − lr·g. */
export function sgd(options: SgdOptions): Optimizer {
  const lr = checkHyperparameter('sgd.lr', options.lr, 0);
  const momentum = checkHyperparameter('sgd.momentum', options.momentum ?? 0, 0);
  const dampening = checkHyperparameter('sgd.dampening', options.dampening ?? 0, 0, 1);
  const weightDecay = checkHyperparameter('sgd.weightDecay', options.weightDecay ?? 0, 0);
  const nesterov = options.nesterov ?? false;
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    throw new GatedError(
      'INVALID_INPUT',
      `sgd.nesterov: needs momentum > 0 and dampening 0 (as PyTorch), received momentum ${momentum}, dampening ${dampening}`,
    );
  }
  const buffers = new Map<string, Float32Array>();
  return {
    lr,
    step(parameters: Parameters, gradients: Parameters) {
      for (const name of pairedNames(parameters, gradients)) {
        const p = parameters[name];
        const grad = gradients[name];
        let buffer = buffers.get(name);
        const first = buffer === undefined;
        if (momentum !== 0 && buffer === undefined) {
          buffer = new Float32Array(p.length);
          buffers.set(name, buffer);
        }
        for (let k = 0; k < p.length; k++) {
          let g = grad[k] + weightDecay * p[k];
          if (buffer !== undefined) {
            buffer[k] = first ? g : momentum * buffer[k] + (1 - dampening) * g;
            g = nesterov ? g + momentum * buffer[k] : buffer[k];
          }
          p[k] -= this.lr * g;
        }
      }
    },
  };
}
