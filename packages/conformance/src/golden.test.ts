import { describe, expect, it } from 'vitest';
import { referenceForward } from './reference/index.js';
import { fixtureOptions, type GoldenFixture, readFixtures, TOLERANCE } from './torch-fixtures.test-helper.js';

const fixtures = readFixtures<GoldenFixture>('fixtures/');

function maxAbsDifference(actual: ArrayLike<number>, expected: readonly number[]): number {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
  return max;
}

describe('float64 reference against PyTorch golden fixtures', () => {
  it('finds the committed fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))(
    '%s: output, h and c match PyTorch to 1e-9',
    (_, fixture) => {
      const result = referenceForward(fixture.config, fixture.weights, fixture.x, fixtureOptions(fixture));
      expect(result.outputShape).toEqual(fixture.output.shape);
      expect(result.hShape).toEqual(fixture.h.shape);
      expect(maxAbsDifference(result.output, fixture.output.data)).toBeLessThanOrEqual(TOLERANCE);
      expect(maxAbsDifference(result.h, fixture.h.data)).toBeLessThanOrEqual(TOLERANCE);
      if (fixture.c) {
        expect(result.cShape).toEqual(fixture.c.shape);
        expect(maxAbsDifference(result.c!, fixture.c.data)).toBeLessThanOrEqual(TOLERANCE);
      } else {
        expect(result.c).toBeUndefined();
      }
    },
  );
});
