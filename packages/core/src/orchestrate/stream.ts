import type { RecurrentStream, StreamState } from '../backend.js';
import { type NormalizedConfig, outputSize } from '../config.js';
import type { Kernels } from '../kernels.js';
import { type Tensor, tensor } from '../tensor.js';
import { Lifecycle } from './lifecycle.js';
import { reserveRequest } from './reserve.js';
import { validateStep, validateStreamState } from './validate-input.js';

/** A unidirectional model run one step at a time. Every buffer is allocated here, once;
 * a step writes x, runs each layer for T = 1 and reads the last layer's h back. */
export class KernelStream<B, L> implements RecurrentStream {
  private readonly lifecycle = new Lifecycle('stream');
  private readonly input: B;
  private readonly outputs: B[];
  private readonly h: B;
  private readonly c: B | null;
  private readonly buffers: B[] = [];

  constructor(
    private readonly kernels: Kernels<B, L>,
    private readonly config: NormalizedConfig,
    private readonly layers: readonly L[],
    readonly batch: number,
    private readonly onDispose: () => void,
  ) {
    const alloc = (length: number): B => {
      const buffer = kernels.alloc(length);
      this.buffers.push(buffer);
      return buffer;
    };
    const Hout = outputSize(config);
    reserveRequest(kernels, [
      batch * config.inputSize,
      ...layers.map(() => batch * Hout),
      config.numLayers * batch * Hout,
      ...(config.cell === 'lstm' ? [config.numLayers * batch * config.hiddenSize] : []),
    ]);
    try {
      this.input = alloc(batch * config.inputSize);
      this.outputs = layers.map(() => alloc(batch * Hout));
      this.h = alloc(config.numLayers * batch * Hout);
      this.c = config.cell === 'lstm' ? alloc(config.numLayers * batch * config.hiddenSize) : null;
    } catch (error) {
      for (const buffer of this.buffers) kernels.free(buffer);
      throw error;
    }
  }

  async step(x: Tensor): Promise<Tensor> {
    this.lifecycle.assertAlive();
    const xt = validateStep(this.config, this.batch, x);
    const { kernels, batch } = this;
    const Hout = outputSize(this.config);
    kernels.write(this.input, xt.data);
    let layerInput = this.input;
    this.layers.forEach((layer, index) => {
      kernels.runSequence({
        layer,
        steps: 1,
        batch,
        input: layerInput,
        output: this.outputs[index],
        outputStride: Hout,
        outputOffset: 0,
        h: this.h,
        hOffset: index * batch * Hout,
        c: this.c,
        cOffset: index * batch * this.config.hiddenSize,
        reverse: false,
        seqLens: null,
        gates: null,
      });
      layerInput = this.outputs[index];
    });
    const [out] = await kernels.read([layerInput]);
    return tensor(out, [batch, Hout]);
  }

  async state(): Promise<StreamState> {
    this.lifecycle.assertAlive();
    const [h, c] = await this.kernels.read(this.c ? [this.h, this.c] : [this.h]);
    const L = this.config.numLayers;
    const state: { h: Tensor; c?: Tensor } = { h: tensor(h, [L, this.batch, outputSize(this.config)]) };
    if (c) state.c = tensor(c, [L, this.batch, this.config.hiddenSize]);
    return state;
  }

  async reset(state?: Partial<StreamState>): Promise<void> {
    this.lifecycle.assertAlive();
    const { h, c } = validateStreamState(this.config, this.batch, state);
    if (h) this.kernels.write(this.h, h);
    else this.kernels.zero(this.h);
    if (this.c) {
      if (c) this.kernels.write(this.c, c);
      else this.kernels.zero(this.c);
    }
  }

  dispose(): void {
    if (!this.lifecycle.dispose()) return;
    for (const buffer of this.buffers) this.kernels.free(buffer);
    this.onDispose();
  }
}
