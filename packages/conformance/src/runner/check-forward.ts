import type { ForwardResult } from '@gated/core';
import type { ReferenceResult } from '../reference/reference-forward.js';
import { type Comparison, compareWithTolerance, type Tolerance } from '../tolerance.js';
import type { CheckResult } from './report.js';

/** Several named comparisons folded into one check result. */
export function foldComparisons(parts: readonly { name: string; comparison: Comparison }[]): CheckResult {
  let maxAbsError = 0;
  let maxUlp = 0;
  const failures: string[] = [];
  for (const { name, comparison } of parts) {
    maxAbsError = Math.max(maxAbsError, comparison.maxAbsError);
    maxUlp = Math.max(maxUlp, comparison.maxUlp);
    if (!comparison.pass) {
      const w = comparison.worst;
      failures.push(
        w === null
          ? `${name}: wrong length`
          : `${name}: ${comparison.mismatches} values outside tolerance, worst [${w.index}] = ${w.actual}, expected ${w.expected}`,
      );
    }
  }
  return failures.length === 0
    ? { status: 'pass', maxAbsError, maxUlp }
    : { status: 'fail', maxAbsError, maxUlp, message: failures.join('; ') };
}

function shapeMismatch(name: string, actual: readonly number[], expected: readonly number[]): string | null {
  return actual.length === expected.length && actual.every((d, i) => d === expected[i])
    ? null
    : `${name}: expected shape [${expected.join(', ')}], received [${actual.join(', ')}]`;
}

/** output, h and c of a backend's forward against the float64 reference. */
export function checkForwardAgainstReference(
  result: ForwardResult,
  reference: ReferenceResult,
  tolerance: Tolerance,
): CheckResult {
  const shapeErrors = [
    shapeMismatch('output', result.output.shape, reference.outputShape),
    shapeMismatch('h', result.h.shape, reference.hShape),
    reference.cShape && result.c ? shapeMismatch('c', result.c.shape, reference.cShape) : null,
    reference.c && !result.c ? 'c: expected the final cell state, received none' : null,
  ].filter((e): e is string => e !== null);
  if (shapeErrors.length > 0) return { status: 'fail', message: shapeErrors.join('; ') };
  const parts = [
    { name: 'output', comparison: compareWithTolerance(result.output.data, reference.output, tolerance) },
    { name: 'h', comparison: compareWithTolerance(result.h.data, reference.h, tolerance) },
  ];
  if (reference.c && result.c)
    parts.push({ name: 'c', comparison: compareWithTolerance(result.c.data, reference.c, tolerance) });
  return foldComparisons(parts);
}

/** Every gate trace (layer, direction, gate name) against the reference's. */
export function checkGatesAgainstReference(
  result: ForwardResult,
  reference: ReferenceResult,
  tolerance: Tolerance,
): CheckResult {
  const expected = reference.gates ?? [];
  const actual = result.gates;
  if (actual === undefined)
    return { status: 'fail', message: 'gates: expected gate traces (returnGates: true), received none' };
  if (actual.length !== expected.length) {
    return {
      status: 'fail',
      message: `gates: expected ${expected.length} traces (layers × directions), received ${actual.length}`,
    };
  }
  const parts: { name: string; comparison: Comparison }[] = [];
  for (const ref of expected) {
    const trace = actual.find((t) => t.layer === ref.layer && t.direction === ref.direction);
    const where = `gates[layer ${ref.layer}, direction ${ref.direction}]`;
    if (trace === undefined) return { status: 'fail', message: `${where}: missing` };
    for (const [name, values] of Object.entries(ref.values)) {
      const got = trace.values[name];
      if (got === undefined) return { status: 'fail', message: `${where}.${name}: missing` };
      parts.push({ name: `${where}.${name}`, comparison: compareWithTolerance(got.data, values, tolerance) });
    }
  }
  return foldComparisons(parts);
}

function bitsEqual(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return false;
  return true;
}

/** Two forwards over the same input must agree bit for bit, gates included. */
export function checkDeterminism(first: ForwardResult, second: ForwardResult): CheckResult {
  const differing: string[] = [];
  if (!bitsEqual(first.output.data, second.output.data)) differing.push('output');
  if (!bitsEqual(first.h.data, second.h.data)) differing.push('h');
  if (first.c && (!second.c || !bitsEqual(first.c.data, second.c.data))) differing.push('c');
  first.gates?.forEach((trace, index) => {
    for (const [name, values] of Object.entries(trace.values)) {
      const other = second.gates?.[index]?.values[name];
      if (!other || !bitsEqual(values.data, other.data)) differing.push(`gates[${index}].${name}`);
    }
  });
  return differing.length === 0
    ? { status: 'pass' }
    : { status: 'fail', message: `two forwards over the same input differ in ${differing.join(', ')}` };
}
