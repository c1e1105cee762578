import { GatedError } from '@gated/core';
import type { ConformanceCase } from './conformance-case.js';
import { GRU_CASES } from './gru-cases.js';
import { LSTM_CASES } from './lstm-cases.js';
import { OVERFLOW_CASES } from './overflow-cases.js';
import { RNN_CASES } from './rnn-cases.js';

/** Every conformance case; every backend runs all of them by default. */
export const CASES: readonly ConformanceCase[] = [
  ...LSTM_CASES,
  ...GRU_CASES,
  ...RNN_CASES,
  ...OVERFLOW_CASES,
];

/** Which cases to run: all, the named ones, or those a predicate accepts. */
export type CaseSelection = readonly string[] | ((testCase: ConformanceCase) => boolean);

export function selectCases(selection?: CaseSelection): ConformanceCase[] {
  if (selection === undefined) return [...CASES];
  if (typeof selection === 'function') return CASES.filter(selection);
  const unknown = selection.filter((name) => !CASES.some((c) => c.name === name));
  if (unknown.length > 0)
    throw new GatedError(
      'INVALID_INPUT',
      `options.cases: expected names from the catalogue, received ${unknown.map((n) => JSON.stringify(n)).join(', ')}`,
    );
  return CASES.filter((c) => selection.includes(c.name));
}

export function findCase(name: string): ConformanceCase {
  const found = CASES.find((c) => c.name === name);
  if (found === undefined)
    throw new GatedError(
      'INVALID_INPUT',
      `name: expected a case from the catalogue, received ${JSON.stringify(name)}`,
    );
  return found;
}
