import type { Backend } from '@gated/core';
import { type CaseSelection, selectCases } from '../cases/catalogue.js';
import { type GradientCaseSelection, selectGradientCases } from '../cases/gradient-cases.js';
import { type GradientTolerance, gradientToleranceFor, type Tolerance, toleranceFor } from '../tolerance.js';
import { CONTRACT_CHECKS, runContractCheck } from './contract-checks.js';
import {
  type CaseOutputs,
  type CaseResult,
  type ConformanceReport,
  type ContractResult,
  countCases,
  countChecks,
  countStatuses,
  type GradientResult,
} from './report.js';
import { runCase } from './run-case.js';
import { runGradientCase } from './run-gradient-case.js';

export interface ConformanceOptions {
  /** Case names, or a predicate; all cases by default. */
  cases?: CaseSelection;
  /** A wider tolerance for this backend (give a reason); default from TOLERANCE_TABLE. */
  tolerance?: Partial<Tolerance>;
  /** Gradient case names, or a predicate; all by default. A backend whose capabilities.training
   * is false gets every one as 'unsupported' without running it. */
  gradientCases?: GradientCaseSelection;
  /** A wider gradient tolerance for this backend (give a reason); default from
   * GRADIENT_TOLERANCE_TABLE. */
  gradientTolerance?: Partial<GradientTolerance>;
  /** Run the backend-wide contract checks (errors on bad input); default true. */
  contract?: boolean;
  /** Creates a fresh instance of the backend: the checks that dispose a backend use it (the
   * CLI and describeConformance pass their factory). Without it they are unsupported. */
  createBackend?: () => Backend | Promise<Backend>;
  onProgress?: (event: {
    backend: string;
    done: number;
    total: number;
    result: CaseResult | ContractResult | GradientResult;
  }) => void;
}

/** Runs every selected case, gradient case and contract check on `backend`. Never throws for a
 * backend failure: each one is a result in the report. */
export async function runConformance(
  backend: Backend,
  options: ConformanceOptions = {},
): Promise<ConformanceReport> {
  const cases = selectCases(options.cases);
  const checks = options.contract === false ? [] : CONTRACT_CHECKS;
  const gradientCases = selectGradientCases(options.gradientCases);
  const tolerance = toleranceFor(backend.name, options.tolerance);
  const gradientTolerance = gradientToleranceFor(backend.name, options.gradientTolerance);
  const total = cases.length + gradientCases.length + checks.length;
  const results: CaseResult[] = [];
  const contract: ContractResult[] = [];
  const gradients: GradientResult[] = [];
  const outputs: Record<string, CaseOutputs> = {};
  for (const testCase of cases) {
    const { result, outputs: caseOutputs } = await runCase(backend, testCase, tolerance);
    results.push(result);
    if (caseOutputs) outputs[testCase.name] = caseOutputs;
    options.onProgress?.({ backend: backend.name, done: results.length, total, result });
  }
  for (const testCase of gradientCases) {
    const result = await runGradientCase(backend, testCase, {
      forward: tolerance,
      gradient: gradientTolerance,
    });
    gradients.push(result);
    options.onProgress?.({ backend: backend.name, done: results.length + gradients.length, total, result });
  }
  for (const check of checks) {
    const outcome = await runContractCheck(
      backend,
      check,
      options.createBackend ? { createBackend: options.createBackend } : {},
    );
    const result: ContractResult = {
      name: check.name,
      status: outcome.status === 'n/a' ? 'pass' : outcome.status,
      ...(outcome.message === undefined ? {} : { message: outcome.message }),
    };
    contract.push(result);
    options.onProgress?.({
      backend: backend.name,
      done: results.length + gradients.length + contract.length,
      total,
      result,
    });
  }
  return {
    backend: backend.name,
    capabilities: backend.capabilities,
    tolerance,
    cases: results,
    contract,
    summary: countCases(results),
    checkSummary: countChecks(results),
    contractSummary: countStatuses(contract),
    gradients,
    gradientTolerance,
    gradientSummary: countStatuses(gradients),
    outputs,
  };
}
