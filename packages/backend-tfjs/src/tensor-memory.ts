import type { Tf, TfTensor } from './tfjs-module.js';

/** Ownership of the tensors the kernels hold between calls (weights, buffer pieces, stream
 * state). Each is kept (`tf.keep`, so no `tf.tidy` of the caller's disposes it) and disposed
 * exactly once, here. A tensor that is being downloaded is disposed when its download ends:
 * core may free a buffer while the read it asked for is still in flight. */
export class TensorMemory {
  private readonly reading = new Map<TfTensor, number>();
  private readonly releasedWhileReading = new Set<TfTensor>();

  constructor(readonly tf: Tf) {}

  /** Takes ownership of `tensor`. */
  own<T extends TfTensor>(tensor: T): T {
    return this.tf.keep(tensor);
  }

  release(tensor: TfTensor): void {
    if (this.reading.has(tensor)) this.releasedWhileReading.add(tensor);
    else tensor.dispose();
  }

  /** Starts the download of `tensor` now (before anything later can release it) and resolves
   * its values. */
  download(tensor: TfTensor): Promise<Float32Array> {
    this.reading.set(tensor, (this.reading.get(tensor) ?? 0) + 1);
    const done = () => {
      const count = (this.reading.get(tensor) ?? 1) - 1;
      if (count > 0) {
        this.reading.set(tensor, count);
        return;
      }
      this.reading.delete(tensor);
      if (this.releasedWhileReading.delete(tensor)) tensor.dispose();
    };
    let pending: Promise<unknown>;
    try {
      pending = tensor.data();
    } catch (error) {
      done();
      return Promise.reject(error);
    }
    return pending.then(
      (values) => {
        done();
        return values as Float32Array;
      },
      (error: unknown) => {
        done();
        throw error;
      },
    );
  }
}
