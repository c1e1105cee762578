import type { ForwardResult } from './backend.js';
import type { CellType } from './config.js';
import type { Tensor } from './tensor.js';

/** ∂loss/∂(what a forward returned). Each part may be omitted, which means zeros. Shapes are
 * those of the forward's result: `output` [T, B, D·Hout] (or [B, T, D·Hout] with batchFirst),
 * `h` [L·D, B, Hout], `c` [L·D, B, H] (LSTM). */
export interface UpstreamGradients {
  readonly output?: Tensor;
  readonly h?: Tensor;
  readonly c?: Tensor;
}

/** ∂loss/∂(everything a forward read). */
export type Gradients<C extends CellType = CellType> = {
  /** Same names and shapes as the model's weights (PyTorch `state_dict`), row-major. Tensors a
   * config has but the math does not use (the forget rows of a coupled LSTM) are zeros. */
  readonly weights: Readonly<Record<string, Float32Array>>;
  /** Same shape as x. Zero at masked steps (t ≥ seqLens[b]). */
  readonly x: Tensor;
  /** [L·D, B, Hout], whether or not h0 was given. */
  readonly h0: Tensor;
} & ([CellType] extends [C]
  ? { readonly c0?: Tensor }
  : C extends 'lstm'
    ? { /** [L·D, B, H] */ readonly c0: Tensor }
    : { readonly c0?: undefined });

/** A forward's result plus what its backward needs, held in the backend's memory until
 * `release()` (or until the model or backend is disposed). */
export type RecordedForward<C extends CellType = CellType> = ForwardResult<C> & {
  /** Backpropagation through time: the gradients of everything the forward read, given those
   * of what it returned. May be called several times (each call is independent: nothing
   * accumulates between calls); calls take effect in call order. */
  backward(upstream?: UpstreamGradients): Promise<Gradients<C>>;
  /** Frees the recorded state. Idempotent; a backward after it rejects DISPOSED. */
  release(): void;
};
