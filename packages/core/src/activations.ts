import { describeValue, GatedError } from './errors.js';

/** The ONNX activation set, with the ONNX default alpha/beta. */
export const ACTIVATION_DEFAULTS = {
  sigmoid: {},
  tanh: {},
  relu: {},
  hardSigmoid: { alpha: 0.2, beta: 0.5 },
  leakyRelu: { alpha: 0.01 },
  thresholdedRelu: { alpha: 1 },
  scaledTanh: { alpha: 1, beta: 1 },
  affine: { alpha: 1, beta: 0 },
  elu: { alpha: 1 },
  softsign: {},
  softplus: {},
} as const satisfies Record<string, { alpha?: number; beta?: number }>;

export type ActivationName = keyof typeof ACTIVATION_DEFAULTS;
export const ACTIVATION_NAMES = Object.keys(ACTIVATION_DEFAULTS) as ActivationName[];

/** An activation as users write it: a name, or a name with parameters. */
export type Activation = ActivationName | { name: ActivationName; alpha?: number; beta?: number };

/** An activation with every parameter resolved (unused ones are 0). */
export interface ActivationSpec {
  readonly name: ActivationName;
  readonly alpha: number;
  readonly beta: number;
}

export function isActivationName(name: unknown): name is ActivationName {
  return typeof name === 'string' && Object.hasOwn(ACTIVATION_DEFAULTS, name);
}

export function normalizeActivation(value: unknown, argument: string): ActivationSpec {
  const name = typeof value === 'object' && value !== null ? (value as { name?: unknown }).name : value;
  if (!isActivationName(name)) {
    throw new GatedError(
      'INVALID_CONFIG',
      `${argument}: expected one of ${ACTIVATION_NAMES.join(', ')}, received ${describeValue(name)}`,
    );
  }
  const defaults: { alpha?: number; beta?: number } = ACTIVATION_DEFAULTS[name];
  const given =
    typeof value === 'object' && value !== null ? (value as { alpha?: unknown; beta?: unknown }) : {};
  const param = (key: 'alpha' | 'beta'): number => {
    const v = given[key];
    if (v === undefined) return defaults[key] ?? 0;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new GatedError(
        'INVALID_CONFIG',
        `${argument}.${key}: expected a finite number, received ${describeValue(v)}`,
      );
    }
    return v;
  };
  return { name, alpha: param('alpha'), beta: param('beta') };
}

/** Evaluates an activation in float64. sigmoid and tanh are exact and finite for every input.
 * A pre-activation of ±Infinity (an f32 sum beyond the f32 range) gives the activation's limit
 * there, as the float64 reference gives for the true, finite sum: σ → 1 / 0, tanh and softsign
 * → ±1, hardSigmoid → 1 / 0, scaledTanh → ±α, relu → +∞ / 0, never NaN. */
export function activationFunction(spec: ActivationSpec): (x: number) => number {
  const f = finiteActivation(spec);
  if (spec.name === 'sigmoid' || spec.name === 'tanh') return f; // exact at ±Infinity already
  return (x) =>
    f(
      x === Number.POSITIVE_INFINITY
        ? Number.MAX_VALUE
        : x === Number.NEGATIVE_INFINITY
          ? -Number.MAX_VALUE
          : x,
    );
}

/** The activations for finite input; ±Number.MAX_VALUE stands for ±Infinity (each formula
 * reaches its limit there: softsign's x / (1 + |x|) would be ∞/∞ = NaN at ±Infinity). */
function finiteActivation(spec: ActivationSpec): (x: number) => number {
  const { alpha, beta } = spec;
  switch (spec.name) {
    case 'sigmoid':
      return sigmoid;
    case 'tanh':
      return Math.tanh;
    case 'relu':
      return (x) => Math.max(x, 0);
    case 'hardSigmoid':
      return (x) => Math.min(1, Math.max(0, alpha * x + beta));
    case 'leakyRelu':
      return (x) => (x >= 0 ? x : alpha * x);
    case 'thresholdedRelu':
      return (x) => (x > alpha ? x : 0);
    case 'scaledTanh':
      return (x) => alpha * Math.tanh(beta * x);
    case 'affine':
      return (x) => alpha * x + beta;
    case 'elu':
      return (x) => (x >= 0 ? x : alpha * (Math.exp(x) - 1));
    case 'softsign':
      return (x) => x / (1 + Math.abs(x));
    case 'softplus':
      return (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
  }
}

/** Logistic sigmoid without overflow: exp is only taken of a non-positive number. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** The derivative of an activation at pre-activation `x`, given `y` = f(x) (float64). At a kink
 * it takes PyTorch's one-sided value (relu 0 at 0, leakyRelu α at 0, elu α at 0, hardSigmoid 0 at
 * either corner), so gradients agree with autograd bit for bit in the formula, and ±Infinity gives
 * the limit (0 for the saturating ones). thresholdedRelu has no derivative gated trains through:
 * it jumps from 0 to α at α (see `TRAINING_UNSUPPORTED_ACTIVATIONS`); its value here (1 above α,
 * 0 below, PyTorch's `threshold` backward) is for completeness only. */
export function activationDerivative(spec: ActivationSpec): (x: number, y: number) => number {
  const { alpha, beta } = spec;
  switch (spec.name) {
    case 'sigmoid':
      return (_x, y) => y * (1 - y);
    case 'tanh':
      return (_x, y) => 1 - y * y;
    case 'relu':
      return (x) => (x > 0 ? 1 : 0);
    case 'hardSigmoid':
      return (x) => {
        const a = alpha * x + beta;
        return a > 0 && a < 1 ? alpha : 0;
      };
    case 'leakyRelu':
      return (x) => (x > 0 ? 1 : alpha);
    case 'thresholdedRelu':
      return (x) => (x > alpha ? 1 : 0);
    case 'scaledTanh':
      return (x) => {
        const t = Math.tanh(beta * x);
        return alpha * beta * (1 - t * t);
      };
    case 'affine':
      return () => alpha;
    case 'elu':
      return (x, y) => (x > 0 ? 1 : y + alpha);
    case 'softsign':
      return (x) => {
        if (!Number.isFinite(x)) return 0;
        const d = 1 + Math.abs(x);
        return 1 / (d * d);
      };
    case 'softplus':
      return (x) => sigmoid(x);
  }
}

/** Activations with no derivative to train through: a model using one cannot record a forward
 * for training (UNSUPPORTED). thresholdedRelu (x > α ? x : 0) jumps by α at x = α, so its
 * almost-everywhere derivative ignores a step the loss really takes. */
export const TRAINING_UNSUPPORTED_ACTIVATIONS: readonly ActivationName[] = ['thresholdedRelu'];
