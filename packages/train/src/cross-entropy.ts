import { GatedError, type Tensor, tensor } from '@gated/core';

/** A loss value and its gradient with respect to the predictions. */
export interface LossResult {
  /** The mean over the counted rows (0 when none is counted). */
  readonly loss: number;
  /** ∂loss/∂predictions, same shape as the predictions; zero on rows not counted. */
  readonly gradient: Tensor;
  /** Rows that entered the mean. */
  readonly count: number;
}

export interface CrossEntropyResult extends LossResult {
  /** Counted rows whose largest logit is the target class (first maximum on ties). */
  readonly correct: number;
}

export interface CrossEntropyOptions {
  /** Per row: 0 leaves the row out, anything else counts it (a mask, e.g. padded steps). */
  mask?: ArrayLike<number>;
  /** A target equal to this leaves the row out (PyTorch's `ignore_index`, default −100). */
  ignoreIndex?: number;
}

/** Softmax cross-entropy of logits [..., C] against class indices (one per row, i.e. per
 * element of the leading axes), averaged over the counted rows: PyTorch's
 * `F.cross_entropy(logits.reshape(-1, C), targets.reshape(-1), ignore_index=…)` with
 * reduction 'mean'. Masked and ignored rows contribute neither loss nor gradient. */
export function crossEntropy(
  logits: Tensor,
  targets: ArrayLike<number>,
  options: CrossEntropyOptions = {},
): CrossEntropyResult {
  const C = logits.shape[logits.shape.length - 1] ?? 0;
  const rows = C > 0 ? logits.data.length / C : 0;
  if (C < 1 || !Number.isInteger(rows)) {
    throw new GatedError(
      'INVALID_INPUT',
      `logits: expected shape [..., classes ≥ 1], received [${logits.shape.join(', ')}]`,
    );
  }
  checkRows('targets', targets, rows);
  if (options.mask !== undefined) checkRows('options.mask', options.mask, rows);
  const ignore = options.ignoreIndex ?? -100;
  const counted: number[] = [];
  for (let r = 0; r < rows; r++) {
    const t = targets[r];
    if (t === ignore || (options.mask !== undefined && options.mask[r] === 0)) continue;
    if (!Number.isInteger(t) || t < 0 || t >= C) {
      throw new GatedError(
        'INVALID_INPUT',
        `targets[${r}]: expected a class index in [0, ${C - 1}] (or ignoreIndex ${ignore}), received ${t}`,
      );
    }
    counted.push(r);
  }
  const gradient = new Float32Array(logits.data.length);
  let total = 0;
  let correct = 0;
  const probabilities = new Float64Array(C);
  for (const r of counted) {
    const base = r * C;
    let max = -Infinity;
    let argmax = 0;
    for (let k = 0; k < C; k++) {
      if (logits.data[base + k] > max) {
        max = logits.data[base + k];
        argmax = k;
      }
    }
    let sum = 0;
    for (let k = 0; k < C; k++) {
      probabilities[k] = Math.exp(logits.data[base + k] - max);
      sum += probabilities[k];
    }
    const target = targets[r];
    total += Math.log(sum) - (logits.data[base + target] - max);
    if (argmax === target) correct++;
    const scale = 1 / counted.length;
    for (let k = 0; k < C; k++) {
      gradient[base + k] = (probabilities[k] / sum - (k === target ? 1 : 0)) * scale;
    }
  }
  const count = counted.length;
  return {
    loss: count > 0 ? total / count : 0,
    gradient: tensor(gradient, [...logits.shape]),
    count,
    correct,
  };
}

export function checkRows(argument: string, values: ArrayLike<number>, rows: number): void {
  if (values === null || typeof values !== 'object' || values.length !== rows) {
    throw new GatedError(
      'INVALID_INPUT',
      `${argument}: expected ${rows} values (one per row), received ${(values as { length?: unknown })?.length ?? typeof values}`,
    );
  }
}
