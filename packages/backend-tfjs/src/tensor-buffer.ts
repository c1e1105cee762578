import { GatedError } from '@gated/core';
import type { TensorMemory } from './tensor-memory.js';
import type { Tf, TfTensor } from './tfjs-module.js';

/** A contiguous range [offset, offset + length) of the buffer. `transposedOf` [rows, cols]: the
 * range is a row-major [rows, cols] block held transposed, as a [cols, rows] tensor (the
 * kernels keep states feature-major); null: the tensor's values are the range's, in order. */
interface RangePiece {
  readonly offset: number;
  readonly length: number;
  readonly tensor: TfTensor;
  readonly transposedOf: readonly [number, number] | null;
}

/** Columns [column, column + width) of every row of a buffer viewed as [rows, stride]. */
interface ColumnPiece {
  readonly column: number;
  readonly width: number;
  /** [rows, width] */
  readonly tensor: TfTensor;
}

interface ColumnLayout {
  readonly rows: number;
  readonly stride: number;
  pieces: ColumnPiece[];
}

/** A kernel buffer of f32 values made of immutable tfjs tensors. Core's orchestration writes
 * ranges (x, h0, c0, each layer-direction's final h and c) and column blocks (the two
 * directions of a bidirectional output, side by side); each write keeps the tensor it is given
 * as a piece, so nothing is copied to place it, and a read that asks for exactly a piece gets
 * that tensor back. Only an access that cuts across pieces joins them into one tensor first.
 * Where no piece lies, the buffer reads as zeros (a fresh buffer holds no tensor at all). */
export class TensorBuffer {
  private ranges: RangePiece[] = [];
  private columns: ColumnLayout | null = null;

  constructor(
    private readonly memory: TensorMemory,
    readonly length: number,
  ) {}

  /** Host values at `offset` (core's validated copy). */
  write(data: Float32Array, offset: number): void {
    this.checkRange('write', offset, data.length);
    const tensor = this.memory.own(this.memory.tf.tensor1d(data, 'float32'));
    this.placeRange(offset, tensor, null);
  }

  zero(): void {
    this.clear();
  }

  /** The row-major [rows, cols] block at `offset`, as a [rows, cols] tensor, or as its
   * transpose [cols, rows] when `transposed`. Call inside `tf.tidy`: what this creates there is
   * the caller's; a piece returned as it is stays the buffer's. */
  readBlock(offset: number, rows: number, cols: number, transposed: boolean): TfTensor {
    const { tf } = this.memory;
    const length = rows * cols;
    this.checkRange('read', offset, length);
    const piece = this.ranges.find((p) => p.offset === offset && p.length === length);
    if (piece && this.columns === null) {
      const stored = piece.transposedOf;
      if (stored !== null && stored[0] === rows && stored[1] === cols) {
        return transposed ? piece.tensor : tf.transpose(piece.tensor);
      }
      const plain = stored === null ? piece.tensor : tf.transpose(piece.tensor);
      const block = tf.reshape(plain, [rows, cols]);
      return transposed ? tf.transpose(block) : block;
    }
    if (this.isEmpty()) return transposed ? tf.zeros([cols, rows]) : tf.zeros([rows, cols]);
    const block = tf.reshape(tf.slice(this.joined(), [offset], [length]), [rows, cols]);
    return transposed ? tf.transpose(block) : block;
  }

  /** The whole buffer as [rows, length / rows] (a layer's input). Call inside `tf.tidy`. */
  readAll(rows: number): TfTensor {
    const cols = this.length / rows;
    const columns = this.columns;
    if (columns !== null && columns.rows === rows) return this.joinColumns(columns);
    return this.readBlock(0, rows, cols, false);
  }

  /** Takes `tensor` as the values of [offset, offset + tensor.size); `transposedOf` [rows, cols]
   * when it holds a row-major [rows, cols] block transposed. The buffer owns the tensor. */
  writeTensor(offset: number, tensor: TfTensor, transposedOf: readonly [number, number] | null): void {
    this.checkRange('write', offset, tensor.size);
    this.placeRange(offset, this.memory.own(tensor), transposedOf);
  }

  /** Takes `tensor` [rows, width] as columns [column, column + width) of the buffer viewed as
   * [rows, stride]. The buffer owns the tensor. */
  writeColumns(rows: number, stride: number, column: number, tensor: TfTensor): void {
    const { tf } = this.memory;
    const width = tensor.size / rows;
    const owned = this.memory.own(tensor);
    if (!(rows * stride === this.length && column >= 0 && column + width <= stride)) {
      this.memory.release(owned);
      throw new GatedError(
        'INVALID_INPUT',
        `write: expected columns [${column}, ${column + width}) of ${rows} rows of ${stride} to fit a buffer of ${this.length}, received a write past its end`,
      );
    }
    if (width === stride) {
      this.placeRange(0, owned, null);
      return;
    }
    if (this.columns === null || this.columns.rows !== rows || this.columns.stride !== stride) {
      if (this.isEmpty()) this.columns = { rows, stride, pieces: [] };
      else this.toColumns(rows, stride);
    }
    const layout = this.columns as ColumnLayout;
    const end = column + width;
    const overlapping = layout.pieces.filter((p) => p.column < end && column < p.column + p.width);
    if (overlapping.every((p) => p.column >= column && p.column + p.width <= end)) {
      for (const p of overlapping) this.memory.release(p.tensor);
      layout.pieces = layout.pieces.filter((p) => !overlapping.includes(p));
      layout.pieces.push({ column, width, tensor: owned });
      layout.pieces.sort((a, b) => a.column - b.column);
      return;
    }
    // A write that cuts a piece: join the columns, then splice the new ones in.
    const spliced = tf.tidy(() => {
      const all = this.joinColumns(layout);
      return concatNonEmpty(
        tf,
        [tf.slice(all, [0, 0], [rows, column]), owned, tf.slice(all, [0, end], [rows, stride - end])],
        1,
      );
    });
    this.memory.release(owned);
    this.clear();
    this.columns = { rows, stride, pieces: [{ column: 0, width: stride, tensor: this.memory.own(spliced) }] };
  }

  /** Every value, copied to the host. The downloads start before this returns. */
  read(): Promise<Float32Array> {
    const out = new Float32Array(this.length);
    const columns = this.columns;
    if (columns !== null) {
      const pending = columns.pieces.map(async (piece) => {
        const values = await this.memory.download(piece.tensor);
        for (let r = 0; r < columns.rows; r++) {
          out.set(values.subarray(r * piece.width, (r + 1) * piece.width), r * columns.stride + piece.column);
        }
      });
      return Promise.all(pending).then(() => out);
    }
    const pending = this.ranges.map(async (piece) => {
      const values = await this.memory.download(piece.tensor);
      if (piece.transposedOf === null) {
        out.set(values, piece.offset);
        return;
      }
      const [rows, cols] = piece.transposedOf;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) out[piece.offset + r * cols + c] = values[c * rows + r];
      }
    });
    return Promise.all(pending).then(() => out);
  }

  /** Disposes every tensor the buffer holds. */
  clear(): void {
    for (const piece of this.ranges) this.memory.release(piece.tensor);
    for (const piece of this.columns?.pieces ?? []) this.memory.release(piece.tensor);
    this.ranges = [];
    this.columns = null;
  }

  private isEmpty(): boolean {
    return this.ranges.length === 0 && (this.columns === null || this.columns.pieces.length === 0);
  }

  private checkRange(what: string, offset: number, length: number): void {
    if (!(Number.isInteger(offset) && offset >= 0 && offset + length <= this.length)) {
      throw new GatedError(
        'INVALID_INPUT',
        `${what}: expected ${length} values at offset ${offset} to fit a buffer of ${this.length}, received an access past its end`,
      );
    }
  }

  private placeRange(offset: number, tensor: TfTensor, transposedOf: readonly [number, number] | null): void {
    const length = tensor.size;
    if (this.columns !== null) this.toRanges();
    const end = offset + length;
    const overlapping = this.ranges.filter((p) => p.offset < end && offset < p.offset + p.length);
    const covered = overlapping.every((p) => p.offset >= offset && p.offset + p.length <= end);
    if (!covered) {
      // A write that cuts a piece: join everything, then splice the new values in.
      const tf = this.memory.tf;
      const joined = this.joined();
      const flat = transposedOf === null ? tensor : tf.tidy(() => tf.reshape(tf.transpose(tensor), [-1]));
      const spliced = tf.tidy(() =>
        concatNonEmpty(tf, [
          tf.slice(joined, [0], [offset]),
          tf.reshape(flat, [-1]),
          tf.slice(joined, [end], [this.length - end]),
        ]),
      );
      if (flat !== tensor) flat.dispose();
      this.memory.release(tensor);
      this.clear();
      this.ranges = [
        { offset: 0, length: this.length, tensor: this.memory.own(spliced), transposedOf: null },
      ];
      return;
    }
    for (const p of overlapping) this.memory.release(p.tensor);
    this.ranges = this.ranges.filter((p) => !overlapping.includes(p));
    this.ranges.push({ offset, length, tensor, transposedOf });
    this.ranges.sort((a, b) => a.offset - b.offset);
  }

  /** The whole buffer as one flat tensor, which then replaces the pieces. */
  private joined(): TfTensor {
    const { tf } = this.memory;
    if (this.columns !== null) this.toRanges();
    const only = this.ranges[0];
    if (this.ranges.length === 1 && only.offset === 0 && only.length === this.length && !only.transposedOf) {
      return only.tensor;
    }
    const joined = tf.tidy(() => {
      const parts: TfTensor[] = [];
      let at = 0;
      for (const piece of this.ranges) {
        if (piece.offset > at) parts.push(tf.zeros([piece.offset - at]));
        const plain = piece.transposedOf === null ? piece.tensor : tf.transpose(piece.tensor);
        parts.push(tf.reshape(plain, [piece.length]));
        at = piece.offset + piece.length;
      }
      if (at < this.length) parts.push(tf.zeros([this.length - at]));
      return parts.length === 1 ? tf.clone(parts[0]) : tf.concat(parts);
    });
    this.clear();
    this.ranges = [{ offset: 0, length: this.length, tensor: this.memory.own(joined), transposedOf: null }];
    return joined;
  }

  /** Column pieces joined side by side: [rows, stride]. Call inside `tf.tidy`. */
  private joinColumns(layout: ColumnLayout): TfTensor {
    const { tf } = this.memory;
    const parts: TfTensor[] = [];
    let at = 0;
    for (const piece of layout.pieces) {
      if (piece.column > at) parts.push(tf.zeros([layout.rows, piece.column - at]));
      parts.push(piece.tensor);
      at = piece.column + piece.width;
    }
    if (at < layout.stride) parts.push(tf.zeros([layout.rows, layout.stride - at]));
    return parts.length === 1 ? parts[0] : tf.concat(parts, 1);
  }

  private toRanges(): void {
    const layout = this.columns;
    if (layout === null) return;
    const { tf } = this.memory;
    const joined =
      layout.pieces.length === 0 ? null : tf.tidy(() => tf.reshape(this.joinColumns(layout), [-1]));
    this.clear();
    if (joined)
      this.ranges = [{ offset: 0, length: this.length, tensor: this.memory.own(joined), transposedOf: null }];
  }

  /** The whole buffer as one [rows, stride] column piece. */
  private toColumns(rows: number, stride: number): void {
    const { tf } = this.memory;
    const joined = tf.tidy(() => tf.reshape(this.joined(), [rows, stride]));
    this.clear();
    this.columns = { rows, stride, pieces: [{ column: 0, width: stride, tensor: this.memory.own(joined) }] };
  }
}

/** tf.concat of the parts that hold values (a cut at either end leaves an empty one). */
function concatNonEmpty(tf: Tf, parts: TfTensor[], axis = 0): TfTensor {
  const kept = parts.filter((p) => p.size > 0);
  return kept.length === 1 ? tf.clone(kept[0]) : tf.concat(kept, axis);
}
