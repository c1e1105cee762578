import {
  assertCanStream,
  assertCanTrain,
  assertForwardCapable,
  type Capabilities,
  type ForwardOptions,
  type ForwardResult,
  GatedError,
  Lifecycle,
  type NormalizedConfig,
  numDirections,
  outputSize,
  type RecordedForward,
  type RecurrentModel,
  type RecurrentStream,
  type StreamOptions,
  type Tensor,
  tensor,
  validateBatch,
  validateForwardInput,
} from '@gated/core';
import type { OnnxGraph } from './onnx-graph.js';
import { OnnxStream } from './onnx-stream.js';

/** A model held as one onnxruntime session (OnnxGraph). Every call validates and snapshots
 * its arguments before it returns its promise (core's validation returns core's own copies),
 * and then runs on the graph's queue, so calls take effect in call order, awaited or not. */
export class OnnxModel implements RecurrentModel {
  private readonly lifecycle: Lifecycle;
  readonly config: NormalizedConfig;

  constructor(
    private readonly backendName: string,
    private readonly capabilities: Capabilities,
    private readonly graph: OnnxGraph,
    private readonly onDispose: () => void,
  ) {
    this.config = graph.config;
    this.lifecycle = new Lifecycle(`model (${backendName})`);
  }

  async forward(x: Tensor, options: ForwardOptions = {}): Promise<ForwardResult> {
    this.lifecycle.assertAlive();
    const input = validateForwardInput(this.config, x, options);
    assertForwardCapable(this.backendName, this.capabilities, input);
    const { config, graph } = this;
    const { steps: T, batch: B } = input;
    graph.checkFits(T, B);
    const D = numDirections(config);
    const states = config.numLayers * D;
    const Hout = outputSize(config);
    // Only validation's copies (and arrays made here) are used from now on: the caller may
    // change or reuse x, h0, c0 and seqLens as soon as this call returns.
    const h0 = input.h0 ?? new Float32Array(states * B * Hout);
    const c0 = input.c0;
    const seqLens = input.seqLens ?? new Int32Array(B).fill(T);
    const x0 = input.x.data;
    const { y, h, c } = await graph.enqueue(() => graph.run({ x: x0, steps: T, batch: B, seqLens, h0, c0 }));
    restoreEmptySequences(seqLens, states, B, h, h0, Hout);
    if (c) restoreEmptySequences(seqLens, states, B, c, c0, config.hiddenSize);
    const result: { output: Tensor; h: Tensor; c?: Tensor } = {
      output: tensor(y, config.batchFirst ? [B, T, D * Hout] : [T, B, D * Hout]),
      h: tensor(h, [states, B, Hout]),
    };
    if (c) result.c = tensor(c, [states, B, config.hiddenSize]);
    return result;
  }

  stream(options: StreamOptions = {}): RecurrentStream {
    this.lifecycle.assertAlive();
    assertCanStream(this.backendName, this.capabilities, this.config);
    const batch = validateBatch(options.batch ?? 1);
    this.graph.checkFits(1, batch);
    const stream = new OnnxStream(this.graph, batch, () => this.lifecycle.release(stream));
    return this.lifecycle.own(stream);
  }

  /** onnxruntime runs inference graphs: no backward (capabilities.training is false). */
  async recordForward(): Promise<RecordedForward> {
    this.lifecycle.assertAlive();
    assertCanTrain(this.backendName, this.capabilities, this.config);
    throw new GatedError('UNSUPPORTED', `model.recordForward: backend '${this.backendName}' does not train`);
  }

  /** Later calls throw DISPOSED; calls made before complete, then the session is released. */
  dispose(): void {
    if (!this.lifecycle.dispose()) return;
    this.onDispose();
    this.graph.release();
  }
}

/** onnxruntime reports zeros as the final state of a batch element with length 0; gated's
 * contract is that such an element keeps its initial state. */
function restoreEmptySequences(
  seqLens: Int32Array,
  states: number,
  batch: number,
  final: Float32Array,
  initial: Float32Array | null,
  size: number,
): void {
  for (let b = 0; b < batch; b++) {
    if (seqLens[b] !== 0) continue;
    for (let s = 0; s < states; s++) {
      const offset = (s * batch + b) * size;
      if (initial) final.set(initial.subarray(offset, offset + size), offset);
      else final.fill(0, offset, offset + size);
    }
  }
}
