import { activationDerivative, type NormalizedConfig } from '@gated/core';
import { clipped } from './cell-step.js';
import type { StepValues } from './cell-step-tape.js';
import type { LayerTensorSet, ReferenceLayer } from './reference-layer.js';

/** A reference layer-direction with its activations' derivatives (core's
 * `activationDerivative`: f′ at the clipped pre-activation x, given y = f(x)). */
export interface ReferenceBackwardLayer extends ReferenceLayer {
  readonly gateDerivative: (x: number, y: number) => number;
  readonly candidateDerivative: (x: number, y: number) => number;
  readonly cellDerivative: (x: number, y: number) => number;
}

export function withDerivatives(layer: ReferenceLayer, config: NormalizedConfig): ReferenceBackwardLayer {
  return {
    ...layer,
    gateDerivative: activationDerivative(config.activations.gate),
    candidateDerivative: activationDerivative(config.activations.candidate),
    cellDerivative: activationDerivative(config.activations.cell),
  };
}

/** One layer-direction's weight gradients in PyTorch layout (the shapes of `weightShapes`);
 * the step backwards ADD into them. null for a tensor the config lacks. */
export type LayerGradients = LayerTensorSet<Float64Array>;

/** ∂loss/∂(what one step read): x, h and (LSTM) c. */
export interface StepGradients {
  /** [I] */
  readonly x: Float64Array;
  /** [Hout] */
  readonly hPrev: Float64Array;
  /** [H] (LSTM) or null */
  readonly cPrev: Float64Array | null;
}

/** d clamp(a, −clip, clip) / da: 1 inside the closed interval (torch.clamp), else 0. */
function clipSlope(layer: ReferenceLayer, a: number): number {
  return layer.clip === null || (a >= -layer.clip && a <= layer.clip) ? 1 : 0;
}

/** ∂y/∂a for y = act(clamp(a)), a the unclipped pre-activation. */
function slope(
  layer: ReferenceLayer,
  derivative: (x: number, y: number) => number,
  a: number,
  y: number,
): number {
  return derivative(clipped(layer, a), y) * clipSlope(layer, a);
}

/** The input side of a step, for pre-activation gradients dA [G·H]: W_ih and b_ih gradients
 * (dA ⊗ x, dA) and ∂loss/∂x = W_ihᵀ·dA. */
function inputSideBackward(
  layer: ReferenceLayer,
  dA: Float64Array,
  x: Float64Array,
  grads: LayerGradients,
): Float64Array {
  const I = layer.inputSize;
  const dx = new Float64Array(I);
  for (let row = 0; row < dA.length; row++) {
    for (let m = 0; m < I; m++) {
      grads.weightIh[row * I + m] += dA[row] * x[m];
      dx[m] += layer.weightIh[row * I + m] * dA[row];
    }
    if (grads.biasIh !== null) grads.biasIh[row] += dA[row];
  }
  return dx;
}

/** The hidden side for gate rows `from` … `to` − 1, whose W_hh rows multiplied `h`: W_hh and
 * b_hh gradients (dA ⊗ h, dA), and W_hhᵀ·dA added to `dh`. */
function hiddenSideBackward(
  layer: ReferenceLayer,
  dA: Float64Array,
  from: number,
  to: number,
  h: Float64Array,
  dh: Float64Array,
  grads: LayerGradients,
): void {
  const Hout = layer.outputSize;
  for (let row = from; row < to; row++) {
    for (let k = 0; k < Hout; k++) {
      grads.weightHh[row * Hout + k] += dA[row] * h[k];
      dh[k] += layer.weightHh[row * Hout + k] * dA[row];
    }
    if (grads.biasHh !== null) grads.biasHh[row] += dA[row];
  }
}

/** LSTM step backward. `dhNew` = ∂loss/∂h′ (output row plus what later steps carry), `dcNew`
 * = ∂loss/∂c′ carried from later steps. DESIGN's math, rows i f g o:
 * projection dr = W_hrᵀ·dh′ (dW_hr += dh′ ⊗ r); do = dr ⊙ h_act(c′); dc′ += dr ⊙ o ⊙ h_act′;
 * dA_o = do ⊙ f′(a_o); dc′ += dA_o ⊙ p_o (dp_o += dA_o ⊙ c′); di = dc′ ⊙ g, dg = dc′ ⊙ i,
 * df = dc′ ⊙ c, dc = dc′ ⊙ f; coupled: di −= df and the f rows get nothing; dA = [i f g]
 * through their activations (and clip); dc += dA_i ⊙ p_i + dA_f ⊙ p_f (dp_i, dp_f += dA ⊙ c). */
export function lstmStepBackward(
  layer: ReferenceBackwardLayer,
  v: StepValues,
  dhNew: Float64Array,
  dcNew: Float64Array,
  grads: LayerGradients,
): StepGradients {
  const H = layer.hiddenSize;
  const Hout = layer.outputSize;
  const ph = layer.weightPh;
  const cPrev = v.cPrev!;
  const cNew = v.cNew!;
  const cellOut = v.cellOut!;
  const post = v.post;
  let dr = dhNew;
  if (layer.weightHr !== null) {
    dr = new Float64Array(H);
    for (let p = 0; p < Hout; p++) {
      for (let j = 0; j < H; j++) {
        dr[j] += layer.weightHr[p * H + j] * dhNew[p];
        grads.weightHr![p * H + j] += dhNew[p] * post[3 * H + j] * cellOut[j];
      }
    }
  }
  const dA = new Float64Array(4 * H);
  const dcPrev = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    const [i, f, g, o] = [post[j], post[H + j], post[2 * H + j], post[3 * H + j]];
    const dO = dr[j] * cellOut[j];
    let dC = dcNew[j] + dr[j] * o * layer.cellDerivative(cNew[j], cellOut[j]);
    dA[3 * H + j] = dO * slope(layer, layer.gateDerivative, v.pre[3 * H + j], o);
    if (ph !== null) {
      dC += dA[3 * H + j] * ph[2 * H + j];
      grads.weightPh![2 * H + j] += dA[3 * H + j] * cNew[j];
    }
    let dI = dC * g;
    const dG = dC * i;
    const dF = dC * cPrev[j];
    dcPrev[j] = dC * f;
    if (layer.coupledInputForget) {
      dI -= dF;
    } else {
      dA[H + j] = dF * slope(layer, layer.gateDerivative, v.pre[H + j], f);
    }
    dA[j] = dI * slope(layer, layer.gateDerivative, v.pre[j], i);
    dA[2 * H + j] = dG * slope(layer, layer.candidateDerivative, v.pre[2 * H + j], g);
    if (ph !== null) {
      dcPrev[j] += dA[j] * ph[j] + dA[H + j] * ph[H + j];
      grads.weightPh![j] += dA[j] * cPrev[j];
      grads.weightPh![H + j] += dA[H + j] * cPrev[j];
    }
  }
  const dhPrev = new Float64Array(Hout);
  hiddenSideBackward(layer, dA, 0, 4 * H, v.hPrev, dhPrev, grads);
  return { x: inputSideBackward(layer, dA, v.x, grads), hPrev: dhPrev, cPrev: dcPrev };
}

/** GRU step backward, rows r z n: dn = dh′ ⊙ (1 − z), dz = dh′ ⊙ (h − n), dh = dh′ ⊙ z.
 * resetAfter: the n row's hidden part is hn = W_hn·h + b_hn, so its hidden-side gradient is
 * dA_n ⊙ r and dr = dA_n ⊙ hn. resetBefore: W_hn multiplies r ⊙ h, so d(r⊙h) = W_hnᵀ·dA_n,
 * dr = d(r⊙h) ⊙ h, dh += d(r⊙h) ⊙ r and the n block's dW_hh is dA_n ⊗ (r ⊙ h). */
export function gruStepBackward(
  layer: ReferenceBackwardLayer,
  v: StepValues,
  dhNew: Float64Array,
  grads: LayerGradients,
): StepGradients {
  const H = layer.hiddenSize;
  const { post, pre, hPrev } = v;
  const hidden = v.hidden!;
  const dA = new Float64Array(3 * H);
  const dhPrev = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    const [z, n] = [post[H + j], post[2 * H + j]];
    dA[2 * H + j] = dhNew[j] * (1 - z) * slope(layer, layer.candidateDerivative, pre[2 * H + j], n);
    dA[H + j] = dhNew[j] * (hPrev[j] - n) * slope(layer, layer.gateDerivative, pre[H + j], z);
    dhPrev[j] = dhNew[j] * z;
  }
  if (layer.resetAfter) {
    const dHidden = new Float64Array(3 * H);
    for (let j = 0; j < H; j++) {
      const dR = dA[2 * H + j] * hidden[j];
      dA[j] = dR * slope(layer, layer.gateDerivative, pre[j], post[j]);
      dHidden[j] = dA[j];
      dHidden[H + j] = dA[H + j];
      dHidden[2 * H + j] = dA[2 * H + j] * post[j];
    }
    hiddenSideBackward(layer, dHidden, 0, 3 * H, hPrev, dhPrev, grads);
  } else {
    const dRh = new Float64Array(H);
    hiddenSideBackward(layer, dA, 2 * H, 3 * H, hidden, dRh, grads);
    for (let j = 0; j < H; j++) {
      dhPrev[j] += dRh[j] * post[j];
      dA[j] = dRh[j] * hPrev[j] * slope(layer, layer.gateDerivative, pre[j], post[j]);
    }
    hiddenSideBackward(layer, dA, 0, 2 * H, hPrev, dhPrev, grads);
  }
  return { x: inputSideBackward(layer, dA, v.x, grads), hPrev: dhPrev, cPrev: null };
}

/** Elman RNN step backward: dA = dh′ ⊙ act′(a). */
export function rnnStepBackward(
  layer: ReferenceBackwardLayer,
  v: StepValues,
  dhNew: Float64Array,
  grads: LayerGradients,
): StepGradients {
  const H = layer.hiddenSize;
  const dA = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    dA[j] = dhNew[j] * slope(layer, layer.candidateDerivative, v.pre[j], v.post[j]);
  }
  const dhPrev = new Float64Array(H);
  hiddenSideBackward(layer, dA, 0, H, v.hPrev, dhPrev, grads);
  return { x: inputSideBackward(layer, dA, v.x, grads), hPrev: dhPrev, cPrev: null };
}

export function cellStepBackward(
  layer: ReferenceBackwardLayer,
  v: StepValues,
  dhNew: Float64Array,
  dcNew: Float64Array | null,
  grads: LayerGradients,
): StepGradients {
  if (layer.cell === 'lstm') return lstmStepBackward(layer, v, dhNew, dcNew!, grads);
  if (layer.cell === 'gru') return gruStepBackward(layer, v, dhNew, grads);
  return rnnStepBackward(layer, v, dhNew, grads);
}
