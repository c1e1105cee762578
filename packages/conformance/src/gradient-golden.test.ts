import { describe, expect, it } from 'vitest';
import { referenceBackward, referenceForward } from './reference/index.js';
import {
  type FixtureTensor,
  fixtureOptions,
  type GoldenFixture,
  readFixtures,
  TOLERANCE,
} from './torch-fixtures.test-helper.js';

/** A fixture written by tools/fixtures/make_torch_grad_fixtures.py: PyTorch autograd in
 * float64 (torch.nn modules, or a generic transcription of the DESIGN math checked against
 * them). */
interface GradientFixture extends GoldenFixture {
  upstream: { output?: FixtureTensor; h?: FixtureTensor; c?: FixtureTensor };
  gradients: { weights: Record<string, number[]>; x: FixtureTensor; h0: FixtureTensor; c0?: FixtureTensor };
}

const fixtures = readFixtures<GradientFixture>('fixtures/gradients/');

function maxAbsDifference(actual: ArrayLike<number> | undefined, expected: readonly number[]): number {
  expect(actual?.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(actual![i] - expected[i]));
  return max;
}

/** Max |reference − PyTorch| over every gradient of a fixture, by tensor name. */
function gradientDifferences(fixture: GradientFixture): Record<string, number> {
  const upstream = {
    output: fixture.upstream.output?.data,
    h: fixture.upstream.h?.data,
    c: fixture.upstream.c?.data,
  };
  const options = fixtureOptions(fixture);
  const result = referenceBackward(fixture.config, fixture.weights, fixture.x, options, upstream);
  const expected = fixture.gradients;
  expect(Object.keys(result.weights).sort()).toEqual(Object.keys(expected.weights).sort());
  expect(result.xShape).toEqual(expected.x.shape);
  expect(result.h0Shape).toEqual(expected.h0.shape);
  expect(result.c0Shape).toEqual(expected.c0?.shape);
  const differences: Record<string, number> = {
    x: maxAbsDifference(result.x, expected.x.data),
    h0: maxAbsDifference(result.h0, expected.h0.data),
  };
  if (expected.c0) differences.c0 = maxAbsDifference(result.c0, expected.c0.data);
  for (const [name, values] of Object.entries(expected.weights))
    differences[name] = maxAbsDifference(result.weights[name], values);
  return differences;
}

describe('float64 reference backward against PyTorch autograd fixtures', () => {
  it('finds the committed gradient fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))(
    '%s: every weight, x, h0 and c0 gradient matches PyTorch to 1e-9',
    (_, fixture) => {
      const differences = gradientDifferences(fixture);
      const worst = Object.entries(differences).filter(([, d]) => !(d <= TOLERANCE));
      expect(worst).toEqual([]);
    },
  );

  it.each(fixtures.map((f) => [f.name, f] as const))(
    "%s: the fixture's forward matches the reference forward to 1e-9",
    (_, fixture) => {
      const result = referenceForward(fixture.config, fixture.weights, fixture.x, fixtureOptions(fixture));
      expect(maxAbsDifference(result.output, fixture.output.data)).toBeLessThanOrEqual(TOLERANCE);
      expect(maxAbsDifference(result.h, fixture.h.data)).toBeLessThanOrEqual(TOLERANCE);
      if (fixture.c) expect(maxAbsDifference(result.c, fixture.c.data)).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  it('reports the largest difference over every fixture (for the README)', () => {
    const worst = Math.max(...fixtures.flatMap((f) => Object.values(gradientDifferences(f))));
    console.info(`gradient fixtures: max |reference − PyTorch| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  });
});
