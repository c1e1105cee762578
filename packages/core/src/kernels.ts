import type { NormalizedConfig } from './config.js';
import { gateCount } from './gates.js';

/** One layer-direction's tensors in PyTorch layout, as given by the user (already validated). */
export interface LayerWeights {
  /** [G·H, I] */
  readonly weightIh: Float32Array;
  /** [G·H, Hout] */
  readonly weightHh: Float32Array;
  /** [G·H] or null without bias */
  readonly biasIh: Float32Array | null;
  readonly biasHh: Float32Array | null;
  /** [P, H] projection or null */
  readonly weightHr: Float32Array | null;
  /** [3H] peepholes i, f, o, or null */
  readonly weightPh: Float32Array | null;
}

export interface LayerSpec {
  readonly config: NormalizedConfig;
  readonly layer: number;
  readonly direction: number;
  /** Input size of this layer. */
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** projSize || hiddenSize */
  readonly outputSize: number;
}

/** One layer-direction over a whole sequence. All buffers are backend buffers; offsets and
 * strides count f32 elements. */
export interface SequenceJob<B, L> {
  readonly layer: L;
  readonly steps: number;
  readonly batch: number;
  /** [T, B, inputSize], time-major, contiguous. */
  readonly input: B;
  /** Row (t, b) is written at output[(t·B + b)·outputStride + outputOffset + j], j < Hout.
   * Rows of masked steps (t ≥ seqLens[b]) are written as zeros. */
  readonly output: B;
  readonly outputStride: number;
  readonly outputOffset: number;
  /** h [B, Hout] at `hOffset`: read as the initial state, overwritten with the final state. */
  readonly h: B;
  readonly hOffset: number;
  /** c [B, H] at `cOffset` (LSTM), same in/out rule; null for GRU/RNN. */
  readonly c: B | null;
  readonly cOffset: number;
  /** Run t = T-1 … 0 instead of 0 … T-1. */
  readonly reverse: boolean;
  /** Per batch element valid length, or null for all T. Forward runs t < L_b, reverse runs
   * t = L_b-1 … 0; masked elements keep their state. */
  readonly seqLens: Int32Array | null;
  /** Gate trace [traceCount, T, B, H] (post-activation, GATE_TRACE order), zero where masked;
   * null when not requested. */
  readonly gates: B | null;
  /** Training only (a forward recorded by `model.recordForward`): a buffer of
   * `kernels.tapeLength(layer, steps, batch)` values where the kernel keeps whatever its
   * `runSequenceBackward` needs (typically every step's previous state and pre-activations).
   * Absent or null for inference. */
  readonly tape?: B | null;
}

/** Where each weight gradient of one layer-direction lies in a gradient buffer: PyTorch layout
 * (row-major, the shapes of `weightShapes`), in the order weightIh, weightHh, biasIh, biasHh,
 * weightHr, weightPh; null for a tensor the config does not have. */
export interface GradientLayout {
  readonly weightIh: number;
  readonly weightHh: number;
  readonly biasIh: number | null;
  readonly biasHh: number | null;
  readonly weightHr: number | null;
  readonly weightPh: number | null;
  /** Total values. */
  readonly length: number;
}

export function gradientLayout(spec: LayerSpec): GradientLayout {
  const { config, inputSize: I, hiddenSize: H, outputSize: Hout } = spec;
  const GH = gateCount(config.cell) * H;
  let at = 0;
  const take = (size: number): number => {
    const offset = at;
    at += size;
    return offset;
  };
  const weightIh = take(GH * I);
  const weightHh = take(GH * Hout);
  const biasIh = config.bias ? take(GH) : null;
  const biasHh = config.bias ? take(GH) : null;
  const weightHr = config.projSize > 0 ? take(config.projSize * H) : null;
  const weightPh = config.cell === 'lstm' && config.peephole ? take(3 * H) : null;
  return { weightIh, weightHh, biasIh, biasHh, weightHr, weightPh, length: at };
}

/** The backward of one recorded layer-direction (the job its forward ran with, same sizes,
 * direction and seqLens). Offsets and strides count f32 elements. */
export interface BackwardJob<B, L> {
  readonly layer: L;
  readonly steps: number;
  readonly batch: number;
  /** The forward's input [T, B, inputSize] (unchanged since). */
  readonly input: B;
  /** What the forward recorded. */
  readonly tape: B;
  /** ∂loss/∂output row (t, b) at dOutput[(t·B + b)·dOutputStride + dOutputOffset + j], j < Hout
   * (rows of masked steps are ignored: those outputs are constant zeros). */
  readonly dOutput: B;
  readonly dOutputStride: number;
  readonly dOutputOffset: number;
  /** dh [B, Hout] at `dhOffset`: read as ∂loss/∂(final h), overwritten with ∂loss/∂h0. */
  readonly dh: B;
  readonly dhOffset: number;
  /** dc [B, H] at `dcOffset` (LSTM), same rule for c; null for GRU/RNN. */
  readonly dc: B | null;
  readonly dcOffset: number;
  /** [T, B, inputSize]: ∂loss/∂input is ADDED here (both directions of a layer add to it). */
  readonly dInput: B;
  /** Weight gradients are ADDED here at `gradientsOffset` in `layout` (PyTorch layout). */
  readonly gradients: B;
  readonly gradientsOffset: number;
  readonly layout: GradientLayout;
  readonly reverse: boolean;
  readonly seqLens: Int32Array | null;
}

/** What a backend implements: memory and kernels. Everything above (validation, stacking,
 * directions, seqLens, batchFirst, streams, gate traces) is core's orchestration.
 * The orchestration enqueues all work of a forward and reads back once at the end. */
export interface Kernels<B = unknown, L = unknown> {
  /** Called once before a forward or a stream allocates its buffers, with the length of every
   * buffer it will allocate (their sum bounds its peak). Throw GatedError('INVALID_INPUT')
   * here when they cannot all fit, before any memory is taken; a backend that grows memory
   * grows it here, once. Optional: without it only `alloc` can refuse. */
  reserve?(lengths: readonly number[]): void;
  /** A zero-filled buffer of `length` f32 values. May throw GatedError (e.g. out of memory). */
  alloc(length: number): B;
  /** Copies `data` into `buffer` starting at element `offset`. `data` is core's own validated
   * copy; a write past the end of `buffer` must throw, never touch other memory. */
  write(buffer: B, data: Float32Array, offset?: number): void;
  /** Sets `buffer` to zeros. */
  zero(buffer: B): void;
  /** Copies buffers back to the host, in order (one round trip for all of them). */
  read(buffers: readonly B[]): Promise<Float32Array[]>;
  /** The buffer is not used by work enqueued after this call; work already enqueued may still
   * read it (a device backend frees it once that work is done). */
  free(buffer: B): void;
  /** Packs and uploads one layer-direction's weights in the layout the kernels like best. */
  packLayer(spec: LayerSpec, weights: LayerWeights): L;
  freeLayer(layer: L): void;
  runSequence(job: SequenceJob<B, L>): void;
  /** Training (with `capabilities.training`): the tape length `runSequence` needs to record a
   * forward of `steps` × `batch` for this layer-direction. */
  tapeLength?(layer: L, steps: number, batch: number): number;
  /** Training: backpropagation through time over one recorded layer-direction. */
  runSequenceBackward?(job: BackwardJob<B, L>): void;
  /** Releases everything the kernels hold (called by the backend's dispose). */
  dispose?(): void;
}
