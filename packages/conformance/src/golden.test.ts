import { readdirSync, readFileSync } from 'node:fs';
import type { RecurrentConfig } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { referenceForward } from './reference/index.js';

/** A fixture written by tools/fixtures/make_torch_fixtures.py: a PyTorch model run in float64. */
interface GoldenFixture {
  name: string;
  config: RecurrentConfig;
  weights: Record<string, number[]>;
  x: FixtureTensor;
  h0?: FixtureTensor;
  c0?: FixtureTensor;
  seqLens?: number[];
  output: FixtureTensor;
  h: FixtureTensor;
  c?: FixtureTensor;
}

interface FixtureTensor {
  shape: number[];
  data: number[];
}

/** PyTorch and the reference both compute in float64; only summation order differs. */
const TOLERANCE = 1e-9;

const FIXTURE_DIR = new URL('../fixtures/', import.meta.url);

const fixtures: GoldenFixture[] = readdirSync(FIXTURE_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => JSON.parse(readFileSync(new URL(file, FIXTURE_DIR), 'utf8')) as GoldenFixture);

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
      const result = referenceForward(fixture.config, fixture.weights, fixture.x, {
        h0: fixture.h0?.data,
        c0: fixture.c0?.data,
        seqLens: fixture.seqLens,
      });
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
