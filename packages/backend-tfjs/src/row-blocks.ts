import type { Tf, TfTensor } from './tfjs-module.js';

/** Splits a tensor into equal contiguous blocks along its first axis: a step's gates (rows of a
 * feature-major [G·H, B]), or the steps of the input projection ([T, G·H, B]).
 * Most tfjs backends hand out a contiguous block as a view (cpu: a subarray, webgl: a texture
 * slice), so tf.split / tf.unstack cost nothing there. tfjs' wasm backend copies the whole
 * source tensor for every slice it makes (Slice reads it back first), so there each block is
 * gathered natively (GatherNd), which copies that block only: for S2's LSTM step 30 µs for the
 * four gates instead of 200 µs. Its gather indices are kept across the steps' own tf.tidy
 * scopes: dispose() releases them. */
/** Below this many values the copy Slice makes of its source costs less than the extra op
 * calls of gathering (each tfjs op call costs tens of µs on wasm, whatever its size). */
const GATHER_FROM_SIZE = 1 << 14;

export class RowBlocks {
  private readonly indices: TfTensor[] = [];
  private readonly columnIndices = new Map<string, TfTensor>();

  constructor(
    private readonly tf: Tf,
    private readonly gather: boolean,
  ) {}

  /** `x` [count·rows, ...] → `count` tensors [rows, ...]. */
  split(x: TfTensor, count: number): TfTensor[] {
    const { tf } = this;
    if (!this.gathers(x)) return tf.split(x, count, 0);
    const shape = [x.shape[0] / count, ...x.shape.slice(1)];
    const blocks = tf.reshape(x, [count, x.size / count]);
    return Array.from({ length: count }, (_, k) => this.take(blocks, k, shape));
  }

  /** `x` [B, count·width] (batch-major gates) → `count` tensors [B, width]. Gathered: each
   * block straight out of x viewed as [B, count, width] (GatherNd with the index pairs (b, k)),
   * no transpose. Sliced elsewhere. */
  splitColumns(x: TfTensor, count: number): TfTensor[] {
    const { tf } = this;
    if (!this.gathers(x)) return tf.split(x, count, 1);
    const [rows, cols] = x.shape as [number, number];
    const blocks = tf.reshape(x, [rows, count, cols / count]);
    return Array.from({ length: count }, (_, k) => tf.gatherND(blocks, this.columnIndex(rows, k)));
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

  /** Whether to gather rather than slice `x`: on wasm, unless x is small (a stream step's
   * gates: there one Split call costs less than a reshape and a gather per block). */
  private gathers(x: TfTensor): boolean {
    return this.gather && x.size >= GATHER_FROM_SIZE;
  }

  private columnIndex(rows: number, k: number): TfTensor {
    const key = `${rows}:${k}`;
    let index = this.columnIndices.get(key);
    if (index === undefined) {
      const pairs = new Int32Array(2 * rows);
      for (let b = 0; b < rows; b++) pairs.set([b, k], 2 * b);
      index = this.tf.keep(this.tf.tensor2d(pairs, [rows, 2], 'int32'));
      this.columnIndices.set(key, index);
    }
    return index;
  }

  dispose(): void {
    this.tf.dispose([...this.indices.filter(Boolean), ...this.columnIndices.values()]);
    this.indices.length = 0;
    this.columnIndices.clear();
  }

  private index(k: number): TfTensor {
    this.indices[k] ??= this.tf.keep(this.tf.tensor2d([k], [1, 1], 'int32'));
    return this.indices[k];
  }
}
