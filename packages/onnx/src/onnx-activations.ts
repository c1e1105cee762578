import {
  ACTIVATION_DEFAULTS,
  type ActivationName,
  type ActivationSpec,
  GatedError,
  quote,
} from '@gated/core';

/** ONNX activation names (as in the LSTM/GRU/RNN operator docs) for gated's names. */
const ONNX_NAMES: Record<ActivationName, string> = {
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  relu: 'Relu',
  hardSigmoid: 'HardSigmoid',
  leakyRelu: 'LeakyRelu',
  thresholdedRelu: 'ThresholdedRelu',
  scaledTanh: 'ScaledTanh',
  affine: 'Affine',
  elu: 'Elu',
  softsign: 'Softsign',
  softplus: 'Softplus',
};

const BY_LOWER_ONNX_NAME = new Map(
  (Object.entries(ONNX_NAMES) as [ActivationName, string][]).map(([gated, onnx]) => [
    onnx.toLowerCase(),
    gated,
  ]),
);

const USES_ALPHA: ReadonlySet<ActivationName> = new Set([
  'affine',
  'leakyRelu',
  'thresholdedRelu',
  'scaledTanh',
  'hardSigmoid',
  'elu',
]);
const USES_BETA: ReadonlySet<ActivationName> = new Set(['affine', 'scaledTanh', 'hardSigmoid']);

export function onnxActivationName(name: ActivationName): string {
  return ONNX_NAMES[name];
}

/** Reads an ONNX `activations` list with its `activation_alpha` / `activation_beta`. As in
 * onnxruntime, alphas are consumed in order by the activations that take an alpha (and betas by
 * those that take a beta); an activation without one left keeps its ONNX default. */
export function parseOnnxActivations(
  names: readonly string[],
  alphas: readonly number[],
  betas: readonly number[],
  where: string,
): { name: ActivationName; alpha?: number; beta?: number }[] {
  let nextAlpha = 0;
  let nextBeta = 0;
  return names.map((onnxName) => {
    const name = BY_LOWER_ONNX_NAME.get(onnxName.toLowerCase());
    if (name === undefined) {
      throw new GatedError(
        'UNSUPPORTED',
        `${where}: expected activations among ${Object.values(ONNX_NAMES).join(', ')}, received ${quote(onnxName, 40)}`,
      );
    }
    const spec: { name: ActivationName; alpha?: number; beta?: number } = { name };
    const defaults: { alpha?: number; beta?: number } = ACTIVATION_DEFAULTS[name];
    // Attribute floats are f32: a stored default (0.2 → 0.2000000030) still means the default.
    if (USES_ALPHA.has(name) && nextAlpha < alphas.length) {
      const alpha = alphas[nextAlpha++];
      if (alpha !== Math.fround(defaults.alpha ?? 0)) spec.alpha = alpha;
    }
    if (USES_BETA.has(name) && nextBeta < betas.length) {
      const beta = betas[nextBeta++];
      if (beta !== Math.fround(defaults.beta ?? 0)) spec.beta = beta;
    }
    return spec;
  });
}

/** The ONNX `activations`, `activation_alpha`, `activation_beta` attribute values for a list of
 * activations (every parameter written out, so no reader depends on ONNX defaults). */
export function onnxActivationAttributes(specs: readonly ActivationSpec[]): {
  names: string[];
  alphas: number[];
  betas: number[];
} {
  const alphas: number[] = [];
  const betas: number[] = [];
  for (const spec of specs) {
    if (USES_ALPHA.has(spec.name)) alphas.push(spec.alpha);
    if (USES_BETA.has(spec.name)) betas.push(spec.beta);
  }
  return { names: specs.map((s) => ONNX_NAMES[s.name]), alphas, betas };
}
