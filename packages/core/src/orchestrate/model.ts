import type {
  ForwardOptions,
  ForwardResult,
  GateTrace,
  RecurrentModel,
  RecurrentStream,
  StreamOptions,
} from '../backend.js';
import { assertCanStream, type Capabilities } from '../capabilities.js';
import { layerInputSize, type NormalizedConfig, numDirections, outputSize } from '../config.js';
import { gateTraceNames } from '../gates.js';
import type { Kernels, LayerWeights } from '../kernels.js';
import { type Tensor, tensor } from '../tensor.js';
import { layerWeightNames, type Weights } from '../weights.js';
import { swapLeadingAxes } from './layout.js';
import { Lifecycle } from './lifecycle.js';
import { reserveRequest } from './reserve.js';
import { KernelStream } from './stream.js';
import { assertForwardCapable, validateBatch, validateForwardInput } from './validate-input.js';

/** Packed weights of every layer-direction, index layer·D + direction. */
export function packLayers<B, L>(kernels: Kernels<B, L>, config: NormalizedConfig, weights: Weights): L[] {
  const packed: L[] = [];
  try {
    for (let layer = 0; layer < config.numLayers; layer++) {
      for (let direction = 0; direction < numDirections(config); direction++) {
        const n = layerWeightNames(config, layer, direction);
        const lw: LayerWeights = {
          weightIh: weights[n.weightIh],
          weightHh: weights[n.weightHh],
          biasIh: n.biasIh ? weights[n.biasIh] : null,
          biasHh: n.biasHh ? weights[n.biasHh] : null,
          weightHr: n.weightHr ? weights[n.weightHr] : null,
          weightPh: n.weightPh ? weights[n.weightPh] : null,
        };
        const spec = {
          config,
          layer,
          direction,
          inputSize: layerInputSize(config, layer),
          hiddenSize: config.hiddenSize,
          outputSize: outputSize(config),
        };
        packed.push(kernels.packLayer(spec, lw));
      }
    }
  } catch (error) {
    for (const p of packed) kernels.freeLayer(p);
    throw error;
  }
  return packed;
}

/** A model whose math runs in `kernels` and whose orchestration is this class. */
export class KernelModel<B, L> implements RecurrentModel {
  private readonly lifecycle: Lifecycle;

  constructor(
    private readonly backendName: string,
    private readonly capabilities: Capabilities,
    private readonly kernels: Kernels<B, L>,
    readonly config: NormalizedConfig,
    private readonly layers: readonly L[],
  ) {
    this.lifecycle = new Lifecycle(`model (${backendName})`);
  }

  async forward(x: Tensor, options: ForwardOptions = {}): Promise<ForwardResult> {
    this.lifecycle.assertAlive();
    const input = validateForwardInput(this.config, x, options);
    assertForwardCapable(this.backendName, this.capabilities, input);

    const { config, kernels } = this;
    const { steps: T, batch: B } = input;
    const D = numDirections(config);
    const H = config.hiddenSize;
    const Hout = outputSize(config);
    const states = config.numLayers * D;
    const traceNames = gateTraceNames(config.cell);
    const lstm = config.cell === 'lstm';

    const inputLength = T * B * config.inputSize;
    const outputLength = T * B * D * Hout;
    const traceLength = traceNames.length * T * B * H;
    // Peak memory: the input (or the previous layer's output), this layer's output, the states
    // and every gate trace. Refused here, before anything is allocated, when it cannot fit.
    reserveRequest(kernels, [
      inputLength,
      states * B * Hout,
      ...(lstm ? [states * B * H] : []),
      outputLength,
      ...(config.numLayers > 1 ? [outputLength] : []),
      ...(input.returnGates ? new Array<number>(config.numLayers * D).fill(traceLength) : []),
    ]);

    const buffers = new Set<B>();
    const alloc = (length: number): B => {
      const buffer = kernels.alloc(length);
      buffers.add(buffer);
      return buffer;
    };
    const free = (buffer: B): void => {
      buffers.delete(buffer);
      kernels.free(buffer);
    };
    try {
      const xTimeMajor = config.batchFirst
        ? swapLeadingAxes(input.x.data, B, T, config.inputSize)
        : input.x.data;
      let layerInput = alloc(inputLength);
      kernels.write(layerInput, xTimeMajor);
      const h = alloc(states * B * Hout);
      if (input.h0) kernels.write(h, input.h0);
      const c = lstm ? alloc(states * B * H) : null;
      if (c && input.c0) kernels.write(c, input.c0);
      const traces: B[] = [];
      for (let layer = 0; layer < config.numLayers; layer++) {
        const output = alloc(outputLength);
        for (let direction = 0; direction < D; direction++) {
          const index = layer * D + direction;
          const gates = input.returnGates ? alloc(traceLength) : null;
          if (gates) traces.push(gates);
          kernels.runSequence({
            layer: this.layers[index],
            steps: T,
            batch: B,
            input: layerInput,
            output,
            outputStride: D * Hout,
            outputOffset: direction * Hout,
            h,
            hOffset: index * B * Hout,
            c,
            cOffset: index * B * H,
            reverse: direction === 1,
            seqLens: input.seqLens,
            gates,
          });
        }
        // Nothing enqueued later reads this layer's input: memory stays at two layers' outputs.
        free(layerInput);
        layerInput = output;
      }
      const [outData, hData, ...rest] = await kernels.read([layerInput, h, ...(c ? [c] : []), ...traces]);
      const cData = c ? rest.shift()! : null;
      const result: { output: Tensor; h: Tensor; c?: Tensor; gates?: GateTrace[] } = {
        output: config.batchFirst
          ? tensor(swapLeadingAxes(outData, T, B, D * Hout), [B, T, D * Hout])
          : tensor(outData, [T, B, D * Hout]),
        h: tensor(hData, [states, B, Hout]),
      };
      if (cData) result.c = tensor(cData, [states, B, H]);
      if (input.returnGates) result.gates = splitTraces(rest, traceNames, config, T, B);
      return result;
    } finally {
      for (const buffer of buffers) kernels.free(buffer);
    }
  }

  stream(options: StreamOptions = {}): RecurrentStream {
    this.lifecycle.assertAlive();
    assertCanStream(this.backendName, this.capabilities, this.config);
    const batch = validateBatch(options.batch ?? 1);
    const stream = new KernelStream(this.kernels, this.config, this.layers, batch, () =>
      this.lifecycle.release(stream),
    );
    return this.lifecycle.own(stream);
  }

  dispose(): void {
    if (!this.lifecycle.dispose()) return;
    for (const layer of this.layers) this.kernels.freeLayer(layer);
  }
}

function splitTraces(
  data: Float32Array[],
  names: readonly string[],
  config: NormalizedConfig,
  T: number,
  B: number,
): GateTrace[] {
  const D = numDirections(config);
  const size = T * B * config.hiddenSize;
  return data.map((trace, index) => {
    const values: Record<string, Tensor> = {};
    names.forEach((name, g) => {
      values[name] = tensor(trace.slice(g * size, (g + 1) * size), [T, B, config.hiddenSize]);
    });
    return { layer: Math.floor(index / D), direction: index % D, values };
  });
}
