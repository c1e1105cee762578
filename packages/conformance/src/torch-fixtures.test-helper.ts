// Test-only (excluded from the build, and free of vitest, which entry-points.test.ts keeps to
// ./vitest): reading the PyTorch fixtures under fixtures/.
import { readdirSync, readFileSync } from 'node:fs';
import type { RecurrentConfig } from '@gated/core';
import type { ReferenceOptions } from './reference/index.js';

export interface FixtureTensor {
  shape: number[];
  data: number[];
}

/** A fixture written by tools/fixtures/make_torch_fixtures.py: a PyTorch model run in float64. */
export interface GoldenFixture {
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

/** PyTorch and the reference both compute in float64; only summation order differs. */
export const TOLERANCE = 1e-9;

/** Every fixture in `directory` (relative to the package root), in file name order. */
export function readFixtures<F extends GoldenFixture>(directory: string): F[] {
  const dir = new URL(`../${directory}`, import.meta.url);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as F);
}

/** The fixture's h0, c0 and seqLens as reference options. */
export function fixtureOptions(fixture: GoldenFixture): ReferenceOptions {
  return { h0: fixture.h0?.data, c0: fixture.c0?.data, seqLens: fixture.seqLens };
}
