import {
  Lifecycle,
  outputSize,
  type RecurrentStream,
  type StreamState,
  type Tensor,
  tensor,
  validateStep,
  validateStreamState,
} from '@gated/core';
import type { OnnxGraph } from './onnx-graph.js';

/** One step at a time through the model's own session: T = 1, with the state fed back as
 * initial_h / initial_c. (Unidirectional only, so the state is [L, B, ·] = [L·D, B, ·].)
 *
 * step, reset and state validate and snapshot their arguments at the call and then run on the
 * model's queue: each reads the state the previous call left, awaited or not. The state arrays
 * are replaced, never written in place, so a run in flight keeps reading the state it was given. */
export class OnnxStream implements RecurrentStream {
  private readonly lifecycle = new Lifecycle('stream');
  private h: Float32Array;
  private c: Float32Array | null;
  private readonly seqLens: Int32Array;

  constructor(
    private readonly graph: OnnxGraph,
    readonly batch: number,
    private readonly onDispose: () => void,
  ) {
    const { config } = graph;
    this.h = new Float32Array(config.numLayers * batch * outputSize(config));
    this.c = config.cell === 'lstm' ? new Float32Array(config.numLayers * batch * config.hiddenSize) : null;
    this.seqLens = new Int32Array(batch).fill(1);
  }

  async step(x: Tensor): Promise<Tensor> {
    this.lifecycle.assertAlive();
    const xt = validateStep(this.graph.config, this.batch, x).data;
    const { graph, batch } = this;
    return graph.enqueue(async () => {
      const out = await graph.run({ x: xt, steps: 1, batch, seqLens: this.seqLens, h0: this.h, c0: this.c });
      this.h = out.h;
      this.c = out.c;
      return tensor(out.y, [batch, outputSize(graph.config)]);
    });
  }

  async state(): Promise<StreamState> {
    this.lifecycle.assertAlive();
    const { config } = this.graph;
    const L = config.numLayers;
    return this.graph.enqueue(() => {
      const state: { h: Tensor; c?: Tensor } = {
        h: tensor(this.h.slice(), [L, this.batch, outputSize(config)]),
      };
      if (this.c) state.c = tensor(this.c.slice(), [L, this.batch, config.hiddenSize]);
      return state;
    });
  }

  async reset(state?: Partial<StreamState>): Promise<void> {
    this.lifecycle.assertAlive();
    const { h, c } = validateStreamState(this.graph.config, this.batch, state);
    const zerosH = this.h.length;
    const zerosC = this.c?.length ?? 0;
    return this.graph.enqueue(() => {
      this.h = h ?? new Float32Array(zerosH);
      if (this.c) this.c = c ?? new Float32Array(zerosC);
    });
  }

  /** Later calls throw DISPOSED; calls made before complete. */
  dispose(): void {
    if (this.lifecycle.dispose()) this.onDispose();
  }
}
