import type { ActivationSpec } from '@gated/core';
import type { Tf, TfTensor } from './tfjs-module.js';

export type TensorActivation = (x: TfTensor) => TfTensor;

/** The largest finite f32: ±Infinity pre-activations are clamped to it before a formula that
 * would give NaN there (softsign's ∞/∞, 0·∞ for a zero alpha or beta), so that every activation
 * reaches its limit as core's float64 `activationFunction` does. */
const F32_MAX = 3.4028234663852886e38;

/** An activation as tfjs ops (call inside `tf.tidy`). sigmoid and tanh are tfjs' own kernels,
 * exact at ±Infinity on every tfjs backend; the others follow core's formulas. */
export function tensorActivation(tf: Tf, spec: ActivationSpec): TensorActivation {
  const { alpha, beta } = spec;
  switch (spec.name) {
    case 'sigmoid':
      return (x) => tf.sigmoid(x);
    case 'tanh':
      return (x) => tf.tanh(x);
    case 'relu':
      return (x) => tf.relu(x);
    case 'hardSigmoid':
      return (x) => tf.clipByValue(affine(tf, finite(tf, x), alpha, beta), 0, 1);
    case 'leakyRelu':
      return (x) => {
        const clamped = finite(tf, x);
        return tf.where(tf.greaterEqual(clamped, 0), clamped, tf.mul(clamped, alpha));
      };
    case 'thresholdedRelu':
      return (x) => tf.where(tf.greater(x, alpha), x, tf.zerosLike(x));
    case 'scaledTanh':
      return (x) => scale(tf, tf.tanh(scale(tf, finite(tf, x), beta)), alpha);
    case 'affine':
      return (x) => affine(tf, finite(tf, x), alpha, beta);
    case 'elu':
      return (x) => tf.where(tf.greaterEqual(x, 0), x, scale(tf, tf.expm1(tf.minimum(x, 0)), alpha));
    case 'softsign':
      return (x) => {
        const clamped = finite(tf, x);
        return tf.div(clamped, tf.add(tf.abs(clamped), 1));
      };
    case 'softplus':
      return (x) => tf.softplus(x);
  }
}

function finite(tf: Tf, x: TfTensor): TfTensor {
  return tf.clipByValue(x, -F32_MAX, F32_MAX);
}

function scale(tf: Tf, x: TfTensor, factor: number): TfTensor {
  return factor === 1 ? x : tf.mul(x, factor);
}

function affine(tf: Tf, x: TfTensor, alpha: number, beta: number): TfTensor {
  const scaled = scale(tf, x, alpha);
  return beta === 0 ? scaled : tf.add(scaled, beta);
}
