import type { ActivationSpec } from '@gated/core';
import type { Tf, TfTensor } from './tfjs-module.js';

const TANH_VIA_SIGMOID_FROM = 1 << 12;

export type TensorActivation = (x: TfTensor) => TfTensor;

/** The largest finite f32: ±Infinity pre-activations are clamped to it before a formula that
 * would give NaN there (softsign's ∞/∞, 0·∞ for a zero alpha or beta), so that every activation
 * reaches its limit as core's float64 `activationFunction` does. */
const F32_MAX = 3.4028234663852886e38;

/** An activation as tfjs ops (call inside `tf.tidy`). sigmoid is tfjs' own kernel, and so is
 * tanh except with `tanhViaSigmoid` (constants 1 and 2): tanh(x) = 2·σ(2x) − 1, for tfjs' wasm backend, whose Tanh
 * is a scalar loop 6× slower than its vectorised Sigmoid (80 against 13 µs for [256, 32]); the
 * identity costs at most 2.4e-7 absolute near 0 (two f32 ulps of σ at 0.5, doubled) and is
 * exact in the limits (σ(±∞) = 1, 0). The others follow core's formulas. */
export function tensorActivation(
  tf: Tf,
  spec: ActivationSpec,
  tanhViaSigmoid: { readonly one: TfTensor; readonly two: TfTensor } | null = null,
): TensorActivation {
  const { alpha, beta } = spec;
  // The constants are kept tensors: a number operand would be uploaded as a scalar on every call.
  // Below TANH_VIA_SIGMOID_FROM values (a stream step) the one Tanh call costs less than four.
  const tanh: TensorActivation = tanhViaSigmoid
    ? (x) => {
        if (x.size < TANH_VIA_SIGMOID_FROM) return tf.tanh(x);
        const { one, two } = tanhViaSigmoid;
        return tf.sub(tf.mul(tf.sigmoid(tf.mul(x, two)), two), one);
      }
    : (x) => tf.tanh(x);
  switch (spec.name) {
    case 'sigmoid':
      return (x) => tf.sigmoid(x);
    case 'tanh':
      return tanh;
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
      return (x) => scale(tf, tanh(scale(tf, finite(tf, x), beta)), alpha);
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
