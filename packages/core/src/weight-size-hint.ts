import type { NormalizedConfig } from './config.js';
import { gateCount } from './gates.js';

const CELL_OF_GATES: Record<number, string> = { 4: 'an LSTM', 3: 'a GRU', 1: 'an RNN' };

/** What a wrongly sized tensor's length could mean, e.g. "[1024, 32] if inputSize is 32, or
 * [512, 64] if hiddenSize is 128": for each dimension that could be the one that disagrees,
 * the shape and the size the received length implies (a flat Float32Array cannot say which).
 * Empty when no single change explains the length. */
export function weightSizeHint(
  config: NormalizedConfig,
  name: string,
  shape: readonly number[],
  received: number,
): string {
  const G = gateCount(config.cell);
  const H = config.hiddenSize;
  const kind = name.replace(/_l\d+(_reverse)?$/, '');
  const whole = (n: number) => Number.isInteger(n) && n > 0;
  const hints: string[] = [];
  const add = (hint: string) => {
    if (!hints.includes(hint)) hints.push(hint);
  };
  if (kind === 'weight_ih' || kind === 'weight_hh') {
    const [rows, cols] = shape;
    const colName =
      kind === 'weight_hh'
        ? 'the output size (projSize || hiddenSize)'
        : name.includes('_l0')
          ? 'inputSize'
          : 'the layer input size';
    if (whole(received / rows)) add(`[${rows}, ${received / rows}] if ${colName} is ${received / rows}`);
    // weight_hh without projection is [G·H, H]: a different hiddenSize changes both dimensions.
    const rowsAlone = kind === 'weight_ih' || config.projSize > 0;
    const gotRows = rowsAlone ? received / cols : Number.NaN;
    if (whole(gotRows) && whole(gotRows / G)) add(`[${gotRows}, ${cols}] if hiddenSize is ${gotRows / G}`);
    for (const g of [4, 3, 1]) {
      if (g !== G && gotRows === g * H)
        add(`[${gotRows}, ${cols}] with the ${g} gate blocks of ${CELL_OF_GATES[g]}`);
    }
    const square = Math.sqrt(received / G);
    if (kind === 'weight_hh' && config.projSize === 0 && whole(square))
      add(`[${G * square}, ${square}] if hiddenSize is ${square}`);
  } else if (kind === 'bias_ih' || kind === 'bias_hh') {
    if (received === 2 * G * H)
      add(`[2, ${G * H}]: both biases in one tensor (as Keras writes them); split it`);
    if (whole(received / G)) add(`[${received}] if hiddenSize is ${received / G}`);
    for (const g of [4, 3, 1])
      if (g !== G && received === g * H)
        add(`[${received}] with the ${g} gate blocks of ${CELL_OF_GATES[g]}`);
  } else if (kind === 'weight_hr') {
    if (whole(received / H)) add(`[${received / H}, ${H}] if projSize is ${received / H}`);
    if (whole(received / config.projSize))
      add(
        `[${config.projSize}, ${received / config.projSize}] if hiddenSize is ${received / config.projSize}`,
      );
  } else if (kind === 'weight_ph' && whole(received / 3)) {
    add(`[${received}] if hiddenSize is ${received / 3}`);
  }
  return hints.slice(0, 3).join(', or ');
}
