import type { Capabilities } from './capabilities.js';
import type { CellType, LooseRecurrentConfig, NormalizedConfig, RecurrentConfig } from './config.js';
import type { Tensor } from './tensor.js';
import type { RecordedForward } from './training.js';
import type { Weights } from './weights.js';

export interface ForwardOptions {
  /** Initial hidden state [L·D, B, Hout]; zeros when absent. */
  h0?: Tensor;
  /** Initial cell state [L·D, B, H] (LSTM only); zeros when absent. */
  c0?: Tensor;
  /** Valid length of each batch element, 0 ≤ L_b ≤ T (PyTorch packed / ONNX sequence_lens). */
  seqLens?: readonly number[] | Int32Array;
  /** Also return the post-activation gate values of every layer and direction. */
  returnGates?: boolean;
}

export interface GateTrace {
  readonly layer: number;
  /** 0 forward, 1 reverse. */
  readonly direction: number;
  /** Gate name (i f g o c / r z n / h) → [T, B, H], always time-major. */
  readonly values: Readonly<Record<string, Tensor>>;
}

/** The cell state part of a result: always there for an LSTM, never for a GRU or RNN, and
 * optional when the cell is not known at compile time (C = CellType). */
export type CellStatePart<C extends CellType> = [CellType] extends [C]
  ? { /** Cell state (LSTM only). */ readonly c?: Tensor }
  : C extends 'lstm'
    ? { /** Cell state (LSTM). */ readonly c: Tensor }
    : { readonly c?: undefined };

export type ForwardResult<C extends CellType = CellType> = {
  /** [T, B, D·Hout], or [B, T, D·Hout] with batchFirst. */
  readonly output: Tensor;
  /** Final hidden state [L·D, B, Hout]. */
  readonly h: Tensor;
  readonly gates?: readonly GateTrace[];
} & CellStatePart<C>; // c: [L·D, B, H]

export type StreamState<C extends CellType = CellType> = {
  /** [L, B, Hout] */
  readonly h: Tensor;
} & CellStatePart<C>; // c: [L, B, H]

/** A stateful, one-step-at-a-time view of a unidirectional model. */
export interface RecurrentStream<C extends CellType = CellType> {
  readonly batch: number;
  /** x_t [B, I] → the last layer's h_t [B, Hout]. */
  step(x: Tensor): Promise<Tensor>;
  state(): Promise<StreamState<C>>;
  /** Back to zeros, or to the given state. */
  reset(state?: Partial<StreamState>): Promise<void>;
  dispose(): void;
}

export interface StreamOptions {
  batch?: number;
}

export interface RecurrentModel<C extends CellType = CellType> {
  readonly config: NormalizedConfig<C>;
  forward(x: Tensor, options?: ForwardOptions): Promise<ForwardResult<C>>;
  stream(options?: StreamOptions): RecurrentStream<C>;
  /** A forward for training: the same result, plus `backward` and `release` (see
   * RecordedForward). UNSUPPORTED on a backend whose `capabilities.training` is false. */
  recordForward(x: Tensor, options?: ForwardOptions): Promise<RecordedForward<C>>;
  dispose(): void;
}

export interface Backend {
  readonly name: string;
  readonly capabilities: Capabilities;
  /** Validates, packs and uploads the weights once. */
  compile<C extends CellType>(
    config: RecurrentConfig<C> | NormalizedConfig<C>,
    weights: Weights,
  ): Promise<RecurrentModel<C>>;
  /** A config written without `as const` (a `string` cell): validated at run time. */
  compile(config: LooseRecurrentConfig, weights: Weights): Promise<RecurrentModel>;
  /** Disposes the backend and every model compiled by it. */
  dispose(): void;
}
