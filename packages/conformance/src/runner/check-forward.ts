import type { ForwardResult, NormalizedConfig } from '@gated/core';
import type { ReferenceResult } from '../reference/reference-forward.js';
import type { Tolerance } from '../tolerance.js';
import { compareTensor, foldComparisons, formatValue, resultOf, type TensorComparison } from './mismatch.js';
import type { CheckResult } from './report.js';
import {
  cLayout,
  gateLayout,
  gateName,
  hLayout,
  outputLayout,
  positionOf,
  type TensorLayout,
} from './tensor-layout.js';

const REFERENCE = 'the reference';

function shapeMismatch(name: string, actual: readonly number[], expected: readonly number[]): string | null {
  return actual.length === expected.length && actual.every((d, i) => d === expected[i])
    ? null
    : `${name}: expected shape [${expected.join(', ')}], received [${actual.join(', ')}]`;
}

/** T and B of a case's output, from the reference's output shape. */
function stepsAndBatch(config: NormalizedConfig, reference: ReferenceResult): { T: number; B: number } {
  const [first, second] = reference.outputShape;
  return config.batchFirst ? { T: second, B: first } : { T: first, B: second };
}

/** output, h and c of a backend's forward against the float64 reference. */
export function checkForwardAgainstReference(
  result: ForwardResult,
  reference: ReferenceResult,
  tolerance: Tolerance,
  config: NormalizedConfig,
): CheckResult {
  const shapeErrors = [
    shapeMismatch('output', result.output.shape, reference.outputShape),
    shapeMismatch('h', result.h.shape, reference.hShape),
    reference.cShape && result.c ? shapeMismatch('c', result.c.shape, reference.cShape) : null,
    reference.c && !result.c ? 'c: expected the final cell state, received none' : null,
  ].filter((e): e is string => e !== null);
  if (shapeErrors.length > 0) return resultOf(shapeErrors);
  const { T, B } = stepsAndBatch(config, reference);
  const parts: TensorComparison[] = [
    compareTensor(result.output.data, reference.output, outputLayout(config, T, B), REFERENCE, tolerance),
    compareTensor(result.h.data, reference.h, hLayout(config, B), REFERENCE, tolerance),
  ];
  if (reference.c && result.c)
    parts.push(compareTensor(result.c.data, reference.c, cLayout(config, B), REFERENCE, tolerance));
  return foldComparisons(parts);
}

/** Every gate trace (layer, direction, gate name) against the reference's. */
export function checkGatesAgainstReference(
  result: ForwardResult,
  reference: ReferenceResult,
  tolerance: Tolerance,
  config: NormalizedConfig,
): CheckResult {
  const expected = reference.gates ?? [];
  const actual = result.gates;
  if (actual === undefined)
    return resultOf(['gates: expected gate traces (returnGates: true), received none']);
  if (actual.length !== expected.length) {
    return resultOf([
      `gates: expected ${expected.length} traces (layers × directions), received ${actual.length}`,
    ]);
  }
  const { T, B } = stepsAndBatch(config, reference);
  const parts: TensorComparison[] = [];
  const missing: string[] = [];
  for (const ref of expected) {
    const trace = actual.find((t) => t.layer === ref.layer && t.direction === ref.direction);
    for (const [name, values] of Object.entries(ref.values)) {
      const got = trace?.values[name];
      if (got === undefined) {
        missing.push(`${gateName(ref.layer, ref.direction, name)}: expected a trace, received none`);
        continue;
      }
      const layout = gateLayout(ref.layer, ref.direction, name, T, B, config.hiddenSize);
      parts.push(compareTensor(got.data, values, layout, REFERENCE, tolerance));
    }
  }
  return foldComparisons(parts, missing);
}

function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return -1;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return k;
  return -1;
}

/** Two forwards over the same input must agree bit for bit, gates included. */
export function checkDeterminism(
  first: ForwardResult,
  second: ForwardResult,
  config: NormalizedConfig,
): CheckResult {
  const [d0, d1] = first.output.shape;
  const [T, B] = config.batchFirst ? [d1, d0] : [d0, d1];
  const problems: string[] = [];
  const compare = (layout: TensorLayout, a: Float32Array, b: Float32Array | undefined) => {
    if (b === undefined) {
      problems.push(`${layout.name}: the first forward returned it, the second did not`);
      return;
    }
    if (a.length !== b.length) {
      problems.push(`${layout.name}: ${a.length} values in the first forward, ${b.length} in the second`);
      return;
    }
    const k = firstDifference(a, b);
    if (k >= 0) {
      problems.push(
        `${layout.name} differs between two forwards over the same input, first at ${layout.name}[${positionOf(layout, k)}]: ${formatValue(a[k])}, then ${formatValue(b[k])}`,
      );
    }
  };
  compare(outputLayout(config, T, B), first.output.data, second.output.data);
  compare(hLayout(config, B), first.h.data, second.h.data);
  if (first.c) compare(cLayout(config, B), first.c.data, second.c?.data);
  for (const trace of first.gates ?? []) {
    const other = second.gates?.find((t) => t.layer === trace.layer && t.direction === trace.direction);
    for (const [name, values] of Object.entries(trace.values)) {
      const layout = gateLayout(trace.layer, trace.direction, name, T, B, config.hiddenSize);
      compare(layout, values.data, other?.values[name]?.data);
    }
  }
  return resultOf(problems);
}
