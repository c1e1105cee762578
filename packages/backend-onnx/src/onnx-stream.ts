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
import type { OnnxModel } from './onnx-model.js';

/** One step at a time through the model's own session: T = 1, with the state fed back as
 * initial_h / initial_c. (Unidirectional only, so the state is [L, B, ·] = [L·D, B, ·].) */
export class OnnxStream implements RecurrentStream {
  private readonly lifecycle = new Lifecycle('stream');
  private h: Float32Array;
  private c: Float32Array | null;
  private readonly seqLens: Int32Array;

  constructor(
    private readonly model: OnnxModel,
    readonly batch: number,
    private readonly onDispose: () => void,
  ) {
    const { config } = model;
    this.h = new Float32Array(config.numLayers * batch * outputSize(config));
    this.c = config.cell === 'lstm' ? new Float32Array(config.numLayers * batch * config.hiddenSize) : null;
    this.seqLens = new Int32Array(batch).fill(1);
  }

  async step(x: Tensor): Promise<Tensor> {
    this.lifecycle.assertAlive();
    const xt = validateStep(this.model.config, this.batch, x);
    const out = await this.model.run({
      x: xt.data,
      steps: 1,
      batch: this.batch,
      seqLens: this.seqLens,
      h0: this.h,
      c0: this.c,
    });
    this.lifecycle.assertAlive();
    this.h = out.h;
    this.c = out.c;
    return tensor(out.y, [this.batch, outputSize(this.model.config)]);
  }

  async state(): Promise<StreamState> {
    this.lifecycle.assertAlive();
    const { config } = this.model;
    const L = config.numLayers;
    const state: { h: Tensor; c?: Tensor } = {
      h: tensor(this.h.slice(), [L, this.batch, outputSize(config)]),
    };
    if (this.c) state.c = tensor(this.c.slice(), [L, this.batch, config.hiddenSize]);
    return state;
  }

  async reset(state?: Partial<StreamState>): Promise<void> {
    this.lifecycle.assertAlive();
    const { h, c } = validateStreamState(this.model.config, this.batch, state);
    this.h = h ? h.slice() : new Float32Array(this.h.length);
    if (this.c) this.c = c ? c.slice() : new Float32Array(this.c.length);
  }

  dispose(): void {
    if (this.lifecycle.dispose()) this.onDispose();
  }
}
