import { INFERENCE_CAPABILITIES } from '@gated/core';
import { describe, expect, it } from 'vitest';
import {
  accumulatingBackend,
  inferenceOnlyBackend,
  lazyUpstreamBackend,
  neverReleasingBackend,
} from '../gradient-test-backends.test-helper.js';
import { createReferenceBackend } from '../reference/reference-backend.js';
import { restrictedBackend } from '../test-backends.js';
import { runContractCheck } from './contract-checks.js';
import { TRAINING_CHECKS } from './training-checks.js';

const NOT_TRAINING_CHECK =
  'recordForward on a backend that does not train is UNSUPPORTED naming model.recordForward';

async function statuses(backend: Parameters<typeof runContractCheck>[0]): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const check of TRAINING_CHECKS) result[check.name] = (await runContractCheck(backend, check)).status;
  return result;
}

const failing = (all: Record<string, string>) =>
  Object.entries(all)
    .filter(([, status]) => status === 'fail' || status === 'error')
    .map(([name]) => name);

describe('training contract checks', () => {
  it('pass on the reference backend (the one for backends that do not train does not apply)', async () => {
    const all = await statuses(createReferenceBackend());
    expect(failing(all)).toEqual([]);
    expect(all[NOT_TRAINING_CHECK]).toBe('n/a');
    expect(Object.values(all).filter((s) => s === 'pass')).toHaveLength(TRAINING_CHECKS.length - 1);
  });

  it('are unsupported on a backend that does not train, which must refuse recordForward', async () => {
    const all = await statuses(inferenceOnlyBackend());
    expect(all[NOT_TRAINING_CHECK]).toBe('pass');
    const others = TRAINING_CHECKS.filter((c) => c.name !== NOT_TRAINING_CHECK);
    for (const check of others) expect([check.name, all[check.name]]).toEqual([check.name, 'unsupported']);
  });

  it('fail a backend that trains although it declares training: false', async () => {
    const outcome = await runContractCheck(
      restrictedBackend(INFERENCE_CAPABILITIES),
      TRAINING_CHECKS.find((c) => c.name === NOT_TRAINING_CHECK)!,
    );
    expect(outcome).toEqual({
      status: 'fail',
      message: "expected GatedError UNSUPPORTED naming 'recordForward', but the call succeeded",
    });
  });

  it('fail a backend whose backwards accumulate, one by one', async () => {
    expect(failing(await statuses(accumulatingBackend()))).toEqual([
      'backward twice gives bit-identical gradients (nothing accumulates)',
      'a rejected upstream leaves the recording giving the same gradients',
      'a backward uses the upstream as it was when called',
      'a backward issued before release() completes with the same gradients',
    ]);
  });

  it('fail a recording whose release() frees nothing', async () => {
    expect(failing(await statuses(neverReleasingBackend()))).toEqual([
      'backward after release() is DISPOSED',
      'release() is idempotent',
    ]);
  });

  it('fail a backward that starts after it returned (no snapshot, not in call order)', async () => {
    expect(failing(await statuses(lazyUpstreamBackend()))).toEqual([
      'a backward uses the upstream as it was when called',
      'a backward issued before release() completes with the same gradients',
    ]);
  });
});
