import type { ForwardResult, GateTrace } from '../backend.js';
import { type NormalizedConfig, numDirections, outputSize } from '../config.js';
import { GatedError } from '../errors.js';
import { gateTraceNames } from '../gates.js';
import type { Kernels } from '../kernels.js';
import { type Tensor, tensor } from '../tensor.js';
import type { BufferSet } from './buffer-set.js';
import { swapLeadingAxes } from './layout.js';
import { reserveRequest } from './reserve.js';
import type { ForwardInput } from './validate-input.js';

/** The buffers of an enqueued forward. */
export interface EnqueuedForward<B> {
  /** The last layer's output [T, B, D·Hout], time-major. */
  readonly output: B;
  /** [L·D, B, Hout] final states. */
  readonly h: B;
  /** [L·D, B, H] (LSTM) */
  readonly c: B | null;
  /** One per layer-direction when gates were asked for. */
  readonly traces: readonly B[];
  /** Recorded forwards only: each layer's input (layer 0: x time-major), and each
   * layer-direction's tape (index layer·D + direction). Empty otherwise. */
  readonly layerInputs: readonly B[];
  readonly tapes: readonly B[];
}

/** Enqueues a whole forward, layer by layer, nothing read back. For inference each layer's
 * input is freed once the next layer is enqueued (memory stays at two layers' outputs); a
 * recorded forward keeps every layer input and a tape per layer-direction for the backward. */
export function enqueueForward<B, L>(
  kernels: Kernels<B, L>,
  config: NormalizedConfig,
  layers: readonly L[],
  input: ForwardInput,
  buffers: BufferSet<B>,
  record: boolean,
): EnqueuedForward<B> {
  const { steps: T, batch: B } = input;
  const D = numDirections(config);
  const H = config.hiddenSize;
  const Hout = outputSize(config);
  const states = config.numLayers * D;
  const lstm = config.cell === 'lstm';
  const outputLength = T * B * D * Hout;
  const traceLength = gateTraceNames(config.cell).length * T * B * H;
  const tapeLengths = record ? layers.map((layer) => tapeLength(kernels, layer, T, B)) : [];
  // Peak memory: the input (or the previous layer's output), this layer's output, the states
  // and every gate trace (recorded: every layer's output and tape). Refused here, before
  // anything is allocated, when it cannot fit.
  reserveRequest(kernels, [
    T * B * config.inputSize,
    states * B * Hout,
    ...(lstm ? [states * B * H] : []),
    ...new Array<number>(record ? config.numLayers : Math.min(config.numLayers, 2)).fill(outputLength),
    ...(input.returnGates ? new Array<number>(states).fill(traceLength) : []),
    ...tapeLengths,
  ]);

  const xTimeMajor = config.batchFirst ? swapLeadingAxes(input.x.data, B, T, config.inputSize) : input.x.data;
  let layerInput = buffers.alloc(T * B * config.inputSize);
  kernels.write(layerInput, xTimeMajor);
  const h = buffers.alloc(states * B * Hout);
  if (input.h0) kernels.write(h, input.h0);
  const c = lstm ? buffers.alloc(states * B * H) : null;
  if (c && input.c0) kernels.write(c, input.c0);
  const traces: B[] = [];
  const layerInputs: B[] = [];
  const tapes: B[] = [];
  for (let layer = 0; layer < config.numLayers; layer++) {
    const output = buffers.alloc(outputLength);
    for (let direction = 0; direction < D; direction++) {
      const index = layer * D + direction;
      const gates = input.returnGates ? buffers.alloc(traceLength) : null;
      if (gates) traces.push(gates);
      const tape = record ? buffers.alloc(tapeLengths[index]) : null;
      if (tape) tapes.push(tape);
      kernels.runSequence({
        layer: layers[index],
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
        tape,
      });
    }
    if (record) layerInputs.push(layerInput);
    // Nothing enqueued later reads this layer's input: memory stays at two layers' outputs.
    else buffers.free(layerInput);
    layerInput = output;
  }
  return { output: layerInput, h, c, traces, layerInputs, tapes };
}

function tapeLength<B, L>(kernels: Kernels<B, L>, layer: L, steps: number, batch: number): number {
  if (!kernels.tapeLength || !kernels.runSequenceBackward) {
    throw new GatedError('UNSUPPORTED', 'model.recordForward: the kernels of this backend have no backward');
  }
  return kernels.tapeLength(layer, steps, batch);
}

/** Reads an enqueued forward back (one round trip) into the result the user sees. */
export async function readForward<B>(
  kernels: Kernels<B, unknown>,
  config: NormalizedConfig,
  input: ForwardInput,
  run: EnqueuedForward<B>,
): Promise<ForwardResult> {
  const { steps: T, batch: B } = input;
  const D = numDirections(config);
  const Hout = outputSize(config);
  const states = config.numLayers * D;
  const [outData, hData, ...rest] = await kernels.read([
    run.output,
    run.h,
    ...(run.c ? [run.c] : []),
    ...run.traces,
  ]);
  const cData = run.c ? rest.shift()! : null;
  const result: { output: Tensor; h: Tensor; c?: Tensor; gates?: GateTrace[] } = {
    output: config.batchFirst
      ? tensor(swapLeadingAxes(outData, T, B, D * Hout), [B, T, D * Hout])
      : tensor(outData, [T, B, D * Hout]),
    h: tensor(hData, [states, B, Hout]),
  };
  if (cData) result.c = tensor(cData, [states, B, config.hiddenSize]);
  if (input.returnGates) result.gates = splitTraces(rest, config, T, B);
  return result;
}

function splitTraces(data: Float32Array[], config: NormalizedConfig, T: number, B: number): GateTrace[] {
  const D = numDirections(config);
  const names = gateTraceNames(config.cell);
  const size = T * B * config.hiddenSize;
  return data.map((trace, index) => {
    const values: Record<string, Tensor> = {};
    names.forEach((name, g) => {
      values[name] = tensor(trace.slice(g * size, (g + 1) * size), [T, B, config.hiddenSize]);
    });
    return { layer: Math.floor(index / D), direction: index % D, values };
  });
}
