import type { Capabilities } from './capabilities.js';
import type { NormalizedConfig, RecurrentConfig } from './config.js';
import type { Tensor } from './tensor.js';
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

export interface ForwardResult {
  /** [T, B, D·Hout], or [B, T, D·Hout] with batchFirst. */
  readonly output: Tensor;
  /** Final hidden state [L·D, B, Hout]. */
  readonly h: Tensor;
  /** Final cell state [L·D, B, H] (LSTM only). */
  readonly c?: Tensor;
  readonly gates?: readonly GateTrace[];
}

export interface StreamState {
  /** [L, B, Hout] */
  readonly h: Tensor;
  /** [L, B, H] (LSTM only) */
  readonly c?: Tensor;
}

/** A stateful, one-step-at-a-time view of a unidirectional model. */
export interface RecurrentStream {
  readonly batch: number;
  /** x_t [B, I] → the last layer's h_t [B, Hout]. */
  step(x: Tensor): Promise<Tensor>;
  state(): Promise<StreamState>;
  /** Back to zeros, or to the given state. */
  reset(state?: Partial<StreamState>): Promise<void>;
  dispose(): void;
}

export interface StreamOptions {
  batch?: number;
}

export interface RecurrentModel {
  readonly config: NormalizedConfig;
  forward(x: Tensor, options?: ForwardOptions): Promise<ForwardResult>;
  stream(options?: StreamOptions): RecurrentStream;
  dispose(): void;
}

export interface Backend {
  readonly name: string;
  readonly capabilities: Capabilities;
  /** Validates, packs and uploads the weights once. */
  compile(config: RecurrentConfig | NormalizedConfig, weights: Weights): Promise<RecurrentModel>;
  /** Disposes the backend and every model compiled by it. */
  dispose(): void;
}
