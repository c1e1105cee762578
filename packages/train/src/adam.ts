import { checkHyperparameter, type Optimizer, type Parameters, pairedNames } from './optimizer.js';

export interface AdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
}

/** Adam with PyTorch's `torch.optim.Adam` update rule and defaults (lr 1e-3, betas (0.9,
 * 0.999), eps 1e-8, weight_decay 0 added to the gradient as L2):
 *   g ← grad + wd·p;  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
 *   p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + eps). */
export function adam(options: AdamOptions = {}): Optimizer {
  return adamRule('adam', { weightDecay: 0, ...options }, false);
}

/** AdamW, PyTorch's `torch.optim.AdamW`: Adam's defaults but weight_decay 1e-2, decoupled
 * (p ← p·(1 − lr·wd) before the Adam update, the gradient left as is). */
export function adamW(options: AdamOptions = {}): Optimizer {
  return adamRule('adamW', { weightDecay: 1e-2, ...options }, true);
}

function adamRule(kind: string, options: AdamOptions, decoupled: boolean): Optimizer {
  const lr = checkHyperparameter(`${kind}.lr`, options.lr ?? 1e-3, 0);
  const [beta1, beta2] = options.betas ?? [0.9, 0.999];
  checkHyperparameter(`${kind}.betas[0]`, beta1, 0, 1 - Number.EPSILON);
  checkHyperparameter(`${kind}.betas[1]`, beta2, 0, 1 - Number.EPSILON);
  const eps = checkHyperparameter(`${kind}.eps`, options.eps ?? 1e-8, 0);
  const weightDecay = checkHyperparameter(`${kind}.weightDecay`, options.weightDecay ?? 0, 0);
  const state = new Map<string, { step: number; m: Float32Array; v: Float32Array }>();
  return {
    lr,
    step(parameters: Parameters, gradients: Parameters) {
      for (const name of pairedNames(parameters, gradients)) {
        const p = parameters[name];
        const grad = gradients[name];
        let s = state.get(name);
        if (s === undefined) {
          s = { step: 0, m: new Float32Array(p.length), v: new Float32Array(p.length) };
          state.set(name, s);
        }
        s.step++;
        const { m, v } = s;
        const stepSize = this.lr / (1 - beta1 ** s.step);
        const correction2 = Math.sqrt(1 - beta2 ** s.step);
        const decay = decoupled ? 1 - this.lr * weightDecay : 1;
        const l2 = decoupled ? 0 : weightDecay;
        for (let k = 0; k < p.length; k++) {
          const pk = p[k] * decay;
          const g = grad[k] + l2 * pk;
          m[k] = beta1 * m[k] + (1 - beta1) * g;
          v[k] = beta2 * v[k] + (1 - beta2) * g * g;
          p[k] = pk - (stepSize * m[k]) / (Math.sqrt(v[k]) / correction2 + eps);
        }
      }
    },
  };
}
