import type { Tf, TfTensor } from './tfjs-module.js';

/** Splits a tensor into equal contiguous blocks along its first axis: a step's gates (rows of a
 * feature-major [G·H, B]), or the steps of the input projection ([T, G·H, B]).
 * Most tfjs backends hand out a contiguous block as a view (cpu: a subarray, webgl: a texture
 * slice), so tf.split / tf.unstack cost nothing there. tfjs' wasm backend copies the whole
 * source tensor for every slice it makes (Slice reads it back first), so there each block is
 * gathered natively (GatherNd), which copies that block only: for S2's LSTM step 30 µs for the
 * four gates instead of 200 µs. Create inside tf.tidy (the gather indices are its tensors). */
export class RowBlocks {
  private readonly indices: TfTensor[] = [];

  constructor(
    private readonly tf: Tf,
    private readonly gather: boolean,
  ) {}

  /** `x` [count·rows, ...] → `count` tensors [rows, ...]. */
  split(x: TfTensor, count: number): TfTensor[] {
    const { tf } = this;
    if (!this.gather) return tf.split(x, count, 0);
    const shape = [x.shape[0] / count, ...x.shape.slice(1)];
    const blocks = tf.reshape(x, [count, x.size / count]);
    return Array.from({ length: count }, (_, k) => this.take(blocks, k, shape));
  }

  /** `x` [T, ...rest] → step t as [...rest], taken when asked for (wasm) or all at once (views). */
  steps(x: TfTensor): (t: number) => TfTensor {
    const { tf } = this;
    const T = x.shape[0];
    if (!this.gather) {
      const all = tf.unstack(x);
      return (t) => all[t];
    }
    const rest = x.shape.slice(1);
    const rows = tf.reshape(x, [T, x.size / T]);
    return (t) => this.take(rows, t, rest);
  }

  private take(rows: TfTensor, k: number, shape: number[]): TfTensor {
    return this.tf.reshape(this.tf.gatherND(rows, this.index(k)), shape);
  }

  private index(k: number): TfTensor {
    this.indices[k] ??= this.tf.tensor2d([k], [1, 1], 'int32');
    return this.indices[k];
  }
}
