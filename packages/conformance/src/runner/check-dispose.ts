import type { RecurrentModel, RecurrentStream, Tensor } from '@gated/core';
import { expectGatedError, isGatedErrorLike, type Outcome } from './gated-errors.js';
import { resultOf } from './mismatch.js';
import type { CheckResult } from './report.js';

/** After model.dispose(): forward, a stream made before, and stream() itself are DISPOSED. */
export async function checkDispose(model: RecurrentModel, x: Tensor): Promise<CheckResult> {
  const { config } = model;
  const B = config.batchFirst ? x.shape[0] : x.shape[1];
  let stream: RecurrentStream | null = null;
  if (!config.bidirectional) {
    try {
      stream = model.stream({ batch: B });
    } catch (error) {
      if (!isGatedErrorLike(error, 'UNSUPPORTED')) throw error;
    }
  }
  model.dispose();
  const outcomes: Outcome[] = [await expectGatedError('DISPOSED', '', () => model.forward(x))];
  if (stream !== null) {
    const step: Tensor = { data: new Float32Array(B * config.inputSize), shape: [B, config.inputSize] };
    outcomes.push(await expectGatedError('DISPOSED', '', () => stream.step(step)));
    outcomes.push(await expectGatedError('DISPOSED', '', () => model.stream({ batch: B })));
  }
  const labels = ['forward after dispose', 'stream step after model.dispose', 'model.stream after dispose'];
  const failures = outcomes.flatMap((o, i) => (o.status === 'pass' ? [] : [`${labels[i]}: ${o.message}`]));
  return resultOf(failures);
}
