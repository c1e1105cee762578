import type {
  ForwardOptions,
  ForwardResult,
  RecurrentModel,
  RecurrentStream,
  StreamOptions,
} from '../backend.js';
import { assertCanStream, assertCanTrain, type Capabilities } from '../capabilities.js';
import { layerInputSize, type NormalizedConfig, numDirections, outputSize } from '../config.js';
import type { Kernels, LayerWeights } from '../kernels.js';
import type { Tensor } from '../tensor.js';
import type { RecordedForward, UpstreamGradients } from '../training.js';
import { layerWeightNames, type Weights } from '../weights.js';
import { BufferSet } from './buffer-set.js';
import { enqueueForward, readForward } from './enqueue-forward.js';
import { Lifecycle } from './lifecycle.js';
import { KernelRecording } from './recording.js';
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
    const buffers = new BufferSet(this.kernels);
    try {
      const run = enqueueForward(this.kernels, this.config, this.layers, input, buffers, false);
      return await readForward(this.kernels, this.config, input, run);
    } finally {
      buffers.freeAll();
    }
  }

  async recordForward(x: Tensor, options: ForwardOptions = {}): Promise<RecordedForward> {
    this.lifecycle.assertAlive();
    assertCanTrain(this.backendName, this.capabilities, this.config);
    const input = validateForwardInput(this.config, x, options);
    assertForwardCapable(this.backendName, this.capabilities, input);
    const buffers = new BufferSet(this.kernels);
    let recording: KernelRecording<B, L> | null = null;
    try {
      const run = enqueueForward(this.kernels, this.config, this.layers, input, buffers, true);
      // The recording owns the layer inputs and tapes from here; the rest goes after the read.
      for (const kept of [...run.layerInputs, ...run.tapes]) buffers.keep(kept);
      recording = this.lifecycle.own(
        new KernelRecording(this.kernels, this.config, this.layers, input, run, () =>
          this.lifecycle.release(recording!),
        ),
      );
      const result = await readForward(this.kernels, this.config, input, run);
      return Object.assign(result, {
        backward: (upstream?: UpstreamGradients) => recording!.backward(upstream),
        release: () => recording!.dispose(),
      });
    } catch (error) {
      recording?.dispose();
      throw error;
    } finally {
      buffers.freeAll();
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
