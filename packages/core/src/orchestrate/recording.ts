import { layerInputSize, type NormalizedConfig, numDirections, outputSize } from '../config.js';
import { describeValue, GatedError } from '../errors.js';
import { gradientLayout, type Kernels } from '../kernels.js';
import { type Tensor, tensor } from '../tensor.js';
import type { Gradients, UpstreamGradients } from '../training.js';
import { layerWeightNames } from '../weights.js';
import { BufferSet } from './buffer-set.js';
import type { EnqueuedForward } from './enqueue-forward.js';
import { swapLeadingAxes } from './layout.js';
import { Lifecycle } from './lifecycle.js';
import { reserveRequest } from './reserve.js';
import { checkTensor, type ForwardInput } from './validate-input.js';

/** A recorded forward's state in the backend (each layer's input and each layer-direction's
 * tape), and the backward over it: layers from last to first, each direction's
 * backpropagation through time adding into the gradient of the layer's input, which is the
 * upstream gradient of the layer below. Enqueued whole, read back once. */
export class KernelRecording<B, L> {
  private readonly lifecycle = new Lifecycle('recorded forward');

  constructor(
    private readonly kernels: Kernels<B, L>,
    private readonly config: NormalizedConfig,
    private readonly layers: readonly L[],
    private readonly input: ForwardInput,
    private readonly run: EnqueuedForward<B>,
    private readonly onDispose: () => void,
  ) {}

  async backward(upstream: UpstreamGradients = {}): Promise<Gradients> {
    this.lifecycle.assertAlive();
    const { kernels, config, layers, run } = this;
    const { steps: T, batch: B, seqLens } = this.input;
    const D = numDirections(config);
    const H = config.hiddenSize;
    const Hout = outputSize(config);
    const states = config.numLayers * D;
    const grads = validateUpstream(config, T, B, upstream);
    const specs = layers.map((_, index) => {
      const layer = Math.floor(index / D);
      return {
        config,
        layer,
        direction: index % D,
        inputSize: layerInputSize(config, layer),
        hiddenSize: H,
        outputSize: Hout,
      };
    });
    const layouts = specs.map(gradientLayout);
    reserveRequest(kernels, [
      T * B * D * Hout,
      T * B * Math.max(config.inputSize, D * Hout),
      states * B * Hout,
      ...(run.c ? [states * B * H] : []),
      ...layouts.map((layout) => layout.length),
    ]);

    const buffers = new BufferSet(kernels);
    try {
      let dOutput = buffers.alloc(T * B * D * Hout);
      if (grads.output) kernels.write(dOutput, grads.output);
      const dh = buffers.alloc(states * B * Hout);
      if (grads.h) kernels.write(dh, grads.h);
      const dc = run.c ? buffers.alloc(states * B * H) : null;
      if (dc && grads.c) kernels.write(dc, grads.c);
      const gradients = layouts.map((layout) => buffers.alloc(layout.length));
      for (let layer = config.numLayers - 1; layer >= 0; layer--) {
        const dInput = buffers.alloc(T * B * layerInputSize(config, layer));
        for (let direction = 0; direction < D; direction++) {
          const index = layer * D + direction;
          kernels.runSequenceBackward!({
            layer: layers[index],
            steps: T,
            batch: B,
            input: run.layerInputs[layer],
            tape: run.tapes[index],
            dOutput,
            dOutputStride: D * Hout,
            dOutputOffset: direction * Hout,
            dh,
            dhOffset: index * B * Hout,
            dc,
            dcOffset: index * B * H,
            dInput,
            gradients: gradients[index],
            gradientsOffset: 0,
            layout: layouts[index],
            reverse: direction === 1,
            seqLens,
          });
        }
        buffers.free(dOutput);
        dOutput = dInput;
      }
      const [dx, dh0, ...rest] = await kernels.read([dOutput, dh, ...(dc ? [dc] : []), ...gradients]);
      const dc0 = dc ? rest.shift()! : null;
      const weights: Record<string, Float32Array> = {};
      specs.forEach((spec, index) => {
        const names = layerWeightNames(config, spec.layer, spec.direction);
        const layout = layouts[index];
        const data = rest[index];
        const order = ['weightIh', 'weightHh', 'biasIh', 'biasHh', 'weightHr', 'weightPh'] as const;
        order.forEach((key, k) => {
          const name = names[key];
          const offset = layout[key];
          if (name === null || offset === null) return;
          const next = order
            .slice(k + 1)
            .map((later) => layout[later])
            .find((o) => o !== null);
          weights[name] = data.slice(offset, next ?? layout.length);
        });
      });
      const I = config.inputSize;
      const result: { weights: typeof weights; x: Tensor; h0: Tensor; c0?: Tensor } = {
        weights,
        x: config.batchFirst ? tensor(swapLeadingAxes(dx, T, B, I), [B, T, I]) : tensor(dx, [T, B, I]),
        h0: tensor(dh0, [states, B, Hout]),
      };
      if (dc0) result.c0 = tensor(dc0, [states, B, H]);
      return result;
    } finally {
      buffers.freeAll();
    }
  }

  dispose(): void {
    if (!this.lifecycle.dispose()) return;
    for (const buffer of [...this.run.layerInputs, ...this.run.tapes]) this.kernels.free(buffer);
    this.onDispose();
  }
}

/** Upstream gradients, validated against the forward's result shapes and copied (time-major). */
function validateUpstream(
  config: NormalizedConfig,
  T: number,
  B: number,
  upstream: unknown,
): { output: Float32Array | null; h: Float32Array | null; c: Float32Array | null } {
  if (typeof upstream !== 'object' || upstream === null) {
    throw new GatedError(
      'INVALID_INPUT',
      `upstream: expected { output?, h?, c? } (gradients of the forward's result), received ${describeValue(upstream)}`,
    );
  }
  const { output, h, c } = upstream as { output?: unknown; h?: unknown; c?: unknown };
  const D = numDirections(config);
  const Hout = outputSize(config);
  const states = config.numLayers * D;
  let dOutput: Float32Array | null = null;
  if (output !== undefined) {
    const shape = config.batchFirst ? [B, T, D * Hout] : [T, B, D * Hout];
    const data = checkTensor(output, 'upstream.output', shape).data;
    dOutput = config.batchFirst ? swapLeadingAxes(data, B, T, D * Hout) : data;
  }
  const dh = h === undefined ? null : checkTensor(h, 'upstream.h', [states, B, Hout]).data;
  if (c !== undefined && config.cell !== 'lstm') {
    throw new GatedError(
      'INVALID_INPUT',
      `upstream.c: expected nothing for a ${config.cell.toUpperCase()} (LSTM only), received ${describeValue(c)}`,
    );
  }
  const dc = c === undefined ? null : checkTensor(c, 'upstream.c', [states, B, config.hiddenSize]).data;
  return { output: dOutput, h: dh, c: dc };
}
