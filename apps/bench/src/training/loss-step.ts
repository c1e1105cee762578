import { LOSS_STEP_TOLERANCE } from '../settings.js';

/** Whether one Adam step lowered a row's loss as much as the reference's (the first loss is the
 * same forward, already checked through the output): why not, or null when it did. One Adam
 * step moves every weight by about lr in the direction of its gradient's sign, so a backward
 * that is wrong anywhere that matters shows as a different decrease. Rows are compared with a
 * reference of their own kind: the gated backends' two biases per gate move twice as far as
 * tfjs-layers' one (on S2 the loss falls ~4% more). */
export function lossStepMismatch(
  losses: readonly [number, number],
  reference: readonly [number, number],
): string | null {
  const decrease = losses[0] - losses[1];
  const expected = reference[0] - reference[1];
  if (Math.abs(decrease - expected) <= LOSS_STEP_TOLERANCE * Math.abs(expected)) return null;
  const f = (x: number) => x.toPrecision(6);
  return `loss ${f(losses[0])} → ${f(losses[1])} after one Adam step, reference ${f(reference[0])} → ${f(reference[1])} (decreases differ by more than ${LOSS_STEP_TOLERANCE * 100}%)`;
}
