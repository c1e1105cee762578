import {
  type Backend,
  configActivations,
  type Gradients,
  type NormalizedConfig,
  normalizeConfig,
  numDirections,
  outputSize,
  type RecordedForward,
  type RecurrentModel,
  TRAINING_UNSUPPORTED_ACTIVATIONS,
} from '@gated/core';
import { buildGradientCaseData, type GradientCase, type GradientCaseData } from '../cases/gradient-cases.js';
import { type ReferenceGradients, referenceBackward, referenceForward } from '../reference/index.js';
import { type GradientTolerance, gradientScale, scaledTolerance, type Tolerance } from '../tolerance.js';
import { missingForForward } from './case-needs.js';
import { checkForwardAgainstReference } from './check-forward.js';
import { expectGatedError, type Outcome, outcomeOfThrow } from './gated-errors.js';
import {
  gradientName,
  inputGradientLayout,
  stateGradientLayout,
  weightGradientLayout,
} from './gradient-layout.js';
import { compareTensor, formatValue, joinProblems } from './mismatch.js';
import type { GradientResult } from './report.js';
import { positionOf, type TensorLayout } from './tensor-layout.js';

/** Why every gradient case of a backend that does not train is unsupported. */
export const NOT_TRAINING =
  'the backend does not train (capabilities.training is false): model.recordForward is UNSUPPORTED';

const AGAINST = 'the reference backward';

interface GradientOutcome extends Outcome {
  readonly problems?: readonly string[];
  readonly maxAbsError?: number;
  readonly maxScaledError?: number;
}

/** The float64 reference gradients of a case. */
export function referenceGradientsOf(config: NormalizedConfig, data: GradientCaseData): ReferenceGradients {
  const { h0, c0, seqLens } = data.options;
  return referenceBackward(
    config,
    data.weights,
    data.x,
    { h0: h0?.data, c0: c0?.data, seqLens },
    { output: data.upstream.output?.data, h: data.upstream.h?.data, c: data.upstream.c?.data },
  );
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The gradient tensors of a result by name (weights, then x, h0, c0), with their layouts. */
function namedTensors(
  config: NormalizedConfig,
  T: number,
  B: number,
  gradients: {
    weights: Readonly<Record<string, ArrayLike<number>>>;
    x: ArrayLike<number>;
    h0: ArrayLike<number>;
    c0?: ArrayLike<number>;
  },
): { name: string; layout: TensorLayout; values: ArrayLike<number> }[] {
  const tensors = Object.entries(gradients.weights).map(([name, values]) => ({
    name,
    layout: weightGradientLayout(config, name, values.length),
    values,
  }));
  tensors.push({ name: 'x', layout: inputGradientLayout(config, T, B), values: gradients.x });
  tensors.push({ name: 'h0', layout: stateGradientLayout(config, B, 'h0'), values: gradients.h0 });
  if (gradients.c0)
    tensors.push({ name: 'c0', layout: stateGradientLayout(config, B, 'c0'), values: gradients.c0 });
  return tensors;
}

/** Names, shapes and presence of a backward's result against what the contract promises. */
function shapeProblems(
  config: NormalizedConfig,
  data: GradientCaseData,
  reference: ReferenceGradients,
  result: Gradients,
): string[] {
  const problems: string[] = [];
  const B = data.x.shape[config.batchFirst ? 0 : 1];
  const states = config.numLayers * numDirections(config);
  const expectedNames = Object.keys(reference.weights).sort();
  const names = Object.keys(result.weights ?? {}).sort();
  if (names.join('\n') !== expectedNames.join('\n'))
    problems.push(
      `gradients.weights: expected the tensors ${expectedNames.join(', ')}, received ${names.join(', ') || 'none'}`,
    );
  for (const name of expectedNames) {
    const got = result.weights?.[name];
    if (got !== undefined && got.length !== reference.weights[name].length)
      problems.push(
        `${gradientName(name)}: expected ${reference.weights[name].length} values (the weight's size), received ${got.length}`,
      );
  }
  const check = (label: string, shape: readonly number[] | undefined, expected: readonly number[]) => {
    if (shape === undefined)
      problems.push(`${gradientName(label)}: expected shape [${expected.join(', ')}], received none`);
    else if (!sameShape(shape, expected))
      problems.push(
        `${gradientName(label)}: expected shape [${expected.join(', ')}], received [${shape.join(', ')}]`,
      );
  };
  check('x', result.x?.shape, data.x.shape);
  check('h0', result.h0?.shape, [states, B, outputSize(config)]);
  if (config.cell === 'lstm') check('c0', result.c0?.shape, [states, B, config.hiddenSize]);
  else if (result.c0 !== undefined)
    problems.push(`${gradientName('c0')}: expected none for a ${config.cell.toUpperCase()}, received one`);
  return problems;
}

/** A backward's result as flat arrays. */
const flat = (g: Gradients) => ({
  weights: g.weights,
  x: g.x.data,
  h0: g.h0.data,
  ...(g.c0 ? { c0: g.c0.data } : {}),
});

/** Where two backwards on one recording differ first, or null when bit-identical. */
function firstDifference(
  tensors: ReturnType<typeof namedTensors>,
  again: ReturnType<typeof namedTensors>,
): string | null {
  for (const { name, layout, values } of tensors) {
    const other = again.find((t) => t.name === name)?.values;
    if (other === undefined || other.length !== values.length) return `${layout.name}: missing or resized`;
    for (let k = 0; k < values.length; k++) {
      if (!Object.is(values[k], other[k]))
        return `${layout.name}[${positionOf(layout, k)}]: ${formatValue(values[k])}, then ${formatValue(other[k])}`;
    }
  }
  return null;
}

/** A recorded forward's output vs the reference forward, its backward vs the reference backward
 * (each tensor within the gradient tolerance scaled by its largest value), and a second backward
 * bit-identical to the first (nothing accumulates between calls). */
async function checkRecording(
  config: NormalizedConfig,
  data: GradientCaseData,
  recording: RecordedForward,
  tolerances: { forward: Tolerance; gradient: GradientTolerance },
): Promise<GradientOutcome> {
  const { h0, c0, seqLens } = data.options;
  const [T, B] = config.batchFirst ? [data.x.shape[1], data.x.shape[0]] : [data.x.shape[0], data.x.shape[1]];
  const problems: string[] = [];
  const forward = checkForwardAgainstReference(
    recording,
    referenceForward(config, data.weights, data.x, { h0: h0?.data, c0: c0?.data, seqLens }),
    tolerances.forward,
    config,
  );
  for (const problem of forward.problems ?? []) problems.push(`recorded forward: ${problem}`);

  const reference = referenceGradientsOf(config, data);
  const first = await recording.backward(data.upstream);
  const second = await recording.backward(data.upstream);
  const shapes = shapeProblems(config, data, reference, first);
  if (shapes.length > 0)
    return {
      status: 'fail',
      message: joinProblems([...problems, ...shapes]),
      problems: [...problems, ...shapes],
    };

  let maxAbsError = 0;
  let maxScaledError = 0;
  const expected = namedTensors(config, T, B, reference);
  const actual = namedTensors(config, T, B, flat(first));
  for (const { name, layout, values } of expected) {
    const got = actual.find((t) => t.name === name)!.values;
    const compared = compareTensor(
      got,
      values,
      layout,
      AGAINST,
      scaledTolerance(tolerances.gradient, values),
    );
    maxAbsError = Math.max(maxAbsError, compared.comparison.maxAbsError);
    maxScaledError = Math.max(maxScaledError, compared.comparison.maxAbsError / gradientScale(values));
    if (compared.problem !== null) problems.push(compared.problem);
  }
  const differs = firstDifference(actual, namedTensors(config, T, B, flat(second)));
  if (differs !== null)
    problems.push(
      `a second backward(upstream) on the same recording differs from the first (nothing may accumulate between calls), first at ${differs}`,
    );
  return problems.length === 0
    ? { status: 'pass', maxAbsError, maxScaledError }
    : { status: 'fail', message: joinProblems(problems), problems, maxAbsError, maxScaledError };
}

/** A case whose model has an activation without a derivative: recordForward must be UNSUPPORTED,
 * naming it. */
function checkRefusal(
  config: NormalizedConfig,
  data: GradientCaseData,
  model: RecurrentModel,
): Promise<Outcome> {
  const activation =
    configActivations(config).find((name) => TRAINING_UNSUPPORTED_ACTIVATIONS.includes(name)) ?? '';
  return expectGatedError('UNSUPPORTED', activation, async () => {
    const recording = await model.recordForward(data.x, data.options);
    recording.release();
  });
}

/** Runs one gradient case on a backend that trains; on one that does not, the case is
 * 'unsupported' without running. Never throws for a backend failure. */
export async function runGradientCase(
  backend: Backend,
  testCase: GradientCase,
  tolerances: { forward: Tolerance; gradient: GradientTolerance },
): Promise<GradientResult> {
  const started = performance.now();
  const finish = (outcome: GradientOutcome): GradientResult => ({
    kind: 'gradient',
    case: testCase.name,
    status: outcome.status === 'n/a' ? 'pass' : outcome.status,
    maxAbsError: outcome.maxAbsError ?? Number.NaN,
    maxScaledError: outcome.maxScaledError ?? Number.NaN,
    ...(outcome.message === undefined ? {} : { message: outcome.message }),
    ...(outcome.problems === undefined ? {} : { problems: outcome.problems }),
    durationMs: performance.now() - started,
  });
  if (!backend.capabilities.training) return finish({ status: 'unsupported', message: NOT_TRAINING });
  const missing = missingForForward(backend.capabilities, testCase);
  // UNSUPPORTED is an answer only for what the backend does not declare.
  const judged = (outcome: Outcome): GradientOutcome => {
    if (outcome.status !== 'unsupported') return outcome;
    if (missing.length > 0)
      return { status: 'unsupported', message: `the case needs ${missing.join(', ')} (${outcome.message})` };
    const problem = `threw UNSUPPORTED although the backend declares training and everything this case needs (${outcome.message})`;
    return { status: 'fail', message: problem, problems: [problem] };
  };

  const config = normalizeConfig(testCase.config);
  const data = buildGradientCaseData(testCase);
  let model: RecurrentModel;
  try {
    model = await backend.compile(testCase.config, data.weights);
  } catch (error) {
    return finish(judged(outcomeOfThrow(error, 'compile')));
  }
  try {
    if (testCase.expect === 'UNSUPPORTED') return finish(await checkRefusal(config, data, model));
    let recording: RecordedForward | null = null;
    try {
      recording = await model.recordForward(data.x, data.options);
      return finish(await checkRecording(config, data, recording, tolerances));
    } finally {
      recording?.release();
    }
  } catch (error) {
    return finish(judged(outcomeOfThrow(error, 'recordForward and backward')));
  } finally {
    model.dispose();
  }
}
