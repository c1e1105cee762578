import {
  assertCanStream,
  assertForwardCapable,
  type Capabilities,
  type ForwardOptions,
  type ForwardResult,
  Lifecycle,
  type NormalizedConfig,
  numDirections,
  outputSize,
  type RecurrentModel,
  type RecurrentStream,
  type StreamOptions,
  type Tensor,
  tensor,
  validateBatch,
  validateForwardInput,
} from '@gated/core';
import * as ort from 'onnxruntime-web';
import { OnnxStream } from './onnx-stream.js';

/** Inputs of one run of the exported graph (time-major or batch-first X as the config says). */
export interface GraphRun {
  readonly x: Float32Array;
  readonly steps: number;
  readonly batch: number;
  readonly seqLens: Int32Array;
  readonly h0: Float32Array;
  readonly c0: Float32Array | null;
}

/** A model held as one onnxruntime session of the graph exportOnnx writes (inputs X,
 * sequence_lens, initial_h, initial_c; outputs Y, Y_h, Y_c). Runs are serialized per model. */
export class OnnxModel implements RecurrentModel {
  private readonly lifecycle: Lifecycle;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly backendName: string,
    private readonly capabilities: Capabilities,
    readonly config: NormalizedConfig,
    private readonly session: ort.InferenceSession,
    private readonly onDispose: () => void,
  ) {
    this.lifecycle = new Lifecycle(`model (${backendName})`);
  }

  /** Runs the graph once; resolves the output data and final states. */
  run(input: GraphRun): Promise<{ y: Float32Array; h: Float32Array; c: Float32Array | null }> {
    const { config } = this;
    const states = config.numLayers * numDirections(config);
    const H = config.hiddenSize;
    const xShape = config.batchFirst
      ? [input.batch, input.steps, config.inputSize]
      : [input.steps, input.batch, config.inputSize];
    const feeds: Record<string, ort.Tensor> = {
      X: new ort.Tensor('float32', input.x, xShape),
      sequence_lens: new ort.Tensor('int32', input.seqLens, [input.batch]),
      initial_h: new ort.Tensor('float32', input.h0, [states, input.batch, outputSize(config)]),
    };
    if (config.cell === 'lstm') {
      feeds.initial_c = new ort.Tensor('float32', input.c0 ?? new Float32Array(states * input.batch * H), [
        states,
        input.batch,
        H,
      ]);
    }
    const result = this.queue.then(async () => {
      this.lifecycle.assertAlive();
      const out = await this.session.run(feeds);
      const data = (name: string) => Float32Array.from(out[name].data as Float32Array);
      return { y: data('Y'), h: data('Y_h'), c: config.cell === 'lstm' ? data('Y_c') : null };
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  async forward(x: Tensor, options: ForwardOptions = {}): Promise<ForwardResult> {
    this.lifecycle.assertAlive();
    const input = validateForwardInput(this.config, x, options);
    assertForwardCapable(this.backendName, this.capabilities, input);
    const { config } = this;
    const { steps: T, batch: B } = input;
    const states = config.numLayers * numDirections(config);
    const Hout = outputSize(config);
    const h0 = input.h0 ?? new Float32Array(states * B * Hout);
    const seqLens = input.seqLens ?? new Int32Array(B).fill(T);
    const { y, h, c } = await this.run({ x: input.x.data, steps: T, batch: B, seqLens, h0, c0: input.c0 });
    restoreEmptySequences(seqLens, states, B, h, h0, Hout);
    if (c) restoreEmptySequences(seqLens, states, B, c, input.c0, config.hiddenSize);
    const D = numDirections(config);
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
    const stream = new OnnxStream(this, batch, () => this.lifecycle.release(stream));
    return this.lifecycle.own(stream);
  }

  dispose(): void {
    if (!this.lifecycle.dispose()) return;
    this.onDispose();
    void this.queue.then(() => this.session.release()).catch(() => undefined);
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
