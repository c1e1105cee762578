import { normalizeConfig, numDirections, outputSize } from '@gated/core';
import { afterAll, describe, expect, it } from 'vitest';
import { buildGradientCaseData, GRADIENT_CASES } from '../cases/gradient-cases.js';
import { referenceBackward } from '../reference/index.js';
import {
  finiteDifference,
  type LossInputs,
  referenceLoss,
  sampleIndices,
  tensorOf,
} from './finite-differences.js';

/** The reference backward and the difference quotient of the reference forward are both float64. */
const TOLERANCE = 1e-9;
/** Random coordinates per tensor besides its first and last. */
const SAMPLES = 6;

const trained = GRADIENT_CASES.filter((c) => c.expect === 'gradients');
let worstDifference = 0;

describe('float64 reference backward against central finite differences of the reference forward', () => {
  afterAll(() => {
    console.info(
      `finite differences: max |backward − difference quotient| = ${worstDifference.toExponential(2)}`,
    );
  });

  it('differentiates the loss it is given (derivatives of a polynomial, inputs restored)', () => {
    const inputs: LossInputs = {
      weights: {},
      x: { data: Float64Array.of(1, 2, 3), shape: [3] },
      h0: new Float64Array(0),
    };
    const loss = (i: LossInputs) => 2 * i.x.data[0] - 5 * i.x.data[1] + i.x.data[2] ** 2;
    expect(finiteDifference(loss, inputs, 'x', 1)).toBeCloseTo(-5, 9);
    expect(finiteDifference(loss, inputs, 'x', 2)).toBeCloseTo(6, 9);
    expect([...inputs.x.data]).toEqual([1, 2, 3]);
  });

  it.each(trained.map((c) => [c.name, c] as const))(
    '%s: sampled coordinates of every gradient tensor agree within 1e-9',
    (_, testCase) => {
      const config = normalizeConfig(testCase.config);
      const data = buildGradientCaseData(testCase);
      const states = config.numLayers * numDirections(config);
      const B = testCase.B;
      const inputs: LossInputs = {
        weights: Object.fromEntries(
          Object.entries(data.weights).map(([name, w]) => [name, Float64Array.from(w)]),
        ),
        x: { data: Float64Array.from(data.x.data), shape: data.x.shape },
        h0: data.options.h0
          ? Float64Array.from(data.options.h0.data)
          : new Float64Array(states * B * outputSize(config)),
        ...(config.cell === 'lstm'
          ? {
              c0: data.options.c0
                ? Float64Array.from(data.options.c0.data)
                : new Float64Array(states * B * config.hiddenSize),
            }
          : {}),
        ...(data.options.seqLens ? { seqLens: [...data.options.seqLens] } : {}),
      };
      const upstream = {
        output: data.upstream.output?.data,
        h: data.upstream.h?.data,
        c: data.upstream.c?.data,
      };
      const gradients = referenceBackward(
        config,
        inputs.weights,
        inputs.x,
        { h0: inputs.h0, c0: inputs.c0, seqLens: inputs.seqLens },
        upstream,
      );
      const analytic: Record<string, Float64Array> = {
        ...gradients.weights,
        x: gradients.x,
        h0: gradients.h0,
        ...(gradients.c0 ? { c0: gradients.c0 } : {}),
      };
      const loss = (i: LossInputs) => referenceLoss(config, i, upstream);
      const outside: string[] = [];
      let compared = 0;
      Object.entries(analytic).forEach(([tensor, values], k) => {
        expect(values.length).toBe(tensorOf(inputs, tensor).length);
        for (const index of sampleIndices(values.length, SAMPLES, testCase.seed + k)) {
          const numeric = finiteDifference(loss, inputs, tensor, index);
          compared++;
          worstDifference = Math.max(worstDifference, Math.abs(numeric - values[index]));
          if (!(Math.abs(numeric - values[index]) <= TOLERANCE))
            outside.push(`${tensor}[${index}]: backward ${values[index]}, finite difference ${numeric}`);
        }
      });
      expect(outside).toEqual([]);
      expect(compared).toBeGreaterThanOrEqual(Object.keys(analytic).length);
    },
  );
});
