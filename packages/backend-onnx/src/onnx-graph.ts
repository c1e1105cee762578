import { GatedError, type NormalizedConfig, numDirections, outputSize, runtimeError } from '@gated/core';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-web';
import type { OnnxRuntime } from './onnx-runtime.js';

/** Inputs of one run of the exported graph (time-major or batch-first X as the config says).
 * Every array is owned by the caller of `run` and not changed until the run settles. */
export interface GraphRun {
  readonly x: Float32Array;
  readonly steps: number;
  readonly batch: number;
  readonly seqLens: Int32Array;
  readonly h0: Float32Array;
  readonly c0: Float32Array | null;
}

export interface GraphResult {
  readonly y: Float32Array;
  readonly h: Float32Array;
  readonly c: Float32Array | null;
}

/** onnxruntime failures that mean the request (or model) is too large rather than a broken runtime. */
const SIZE_FAILURE = /overflow|allocat|out of memory|bad_alloc/i;

/** A failure of onnxruntime as a GatedError with a short, path-free reason (runtimeError). */
export function ortError(what: string, error: unknown): GatedError {
  const message = error instanceof Error ? error.message : String(error);
  return runtimeError(SIZE_FAILURE.test(message) ? 'INVALID_INPUT' : 'BACKEND_UNAVAILABLE', what, error);
}

/** Loads exported ONNX bytes into a session of the runtime (onnxruntime-web: wasm execution
 * provider; onnxruntime-node: native CPU). */
export async function createSession(runtime: OnnxRuntime, bytes: Uint8Array): Promise<InferenceSession> {
  try {
    return await runtime.ort.InferenceSession.create(bytes, runtime.sessionOptions);
  } catch (error) {
    throw ortError(`backend '${runtime.backendName}': ${runtime.name} could not load the model`, error);
  }
}

/** Releases a session whose failure, if any, nobody waits for (a dispose, or a compile that
 * lost the race with one): onnxruntime's memory is freed or the runtime is gone either way. */
export function releaseSession(session: InferenceSession): Promise<void> {
  return session.release().catch(() => undefined);
}

/** One session of the graph exportOnnx writes (inputs X, sequence_lens, initial_h, initial_c;
 * outputs Y, Y_h, Y_c), with a queue: every task runs after all tasks enqueued before it,
 * awaited or not, so calls on a model and its streams take effect in call order. */
export class OnnxGraph {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly config: NormalizedConfig,
    private readonly runtime: OnnxRuntime,
    private readonly session: InferenceSession,
    private readonly weightCount: number,
  ) {}

  /** Runs `task` once every earlier task has settled. */
  enqueue<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Releases the session after every task enqueued so far (they complete first). */
  release(): void {
    void this.enqueue(() => releaseSession(this.session));
  }

  /** INVALID_INPUT, before anything is allocated, for a run whose buffers cannot all fit in
   * the runtime's bound (onnxruntime-web's wasm memory, core's request bound natively): the weights, X, and per layer the node's input projection for all
   * steps (gates·H per step, element and direction, as onnxruntime computes it), its output and
   * the reshaped copy the next layer reads. */
  checkFits(steps: number, batch: number): void {
    const { config, runtime } = this;
    const D = numDirections(config);
    const gates = config.cell === 'lstm' ? 4 : config.cell === 'gru' ? 3 : 1;
    const perStep = batch * (config.inputSize + D * config.hiddenSize * (gates + 3));
    const needed = this.weightCount + steps * perStep;
    if (needed > runtime.maxValues) {
      throw new GatedError(
        'INVALID_INPUT',
        `x: expected a request that fits ${runtime.memory} (at most ${Math.max(0, Math.floor((runtime.maxValues - this.weightCount) / perStep))} steps at batch ${batch}), received ${steps} steps needing about ${needed} f32 values (split the batch or the sequence)`,
      );
    }
  }

  /** Runs the graph once (call inside a task); resolves the output data and final states. */
  async run(input: GraphRun): Promise<GraphResult> {
    const { config, runtime } = this;
    const { Tensor } = runtime.ort;
    const lstm = config.cell === 'lstm';
    const states = config.numLayers * numDirections(config);
    let out: InferenceSession.ReturnType;
    try {
      const xShape = config.batchFirst
        ? [input.batch, input.steps, config.inputSize]
        : [input.steps, input.batch, config.inputSize];
      const feeds: Record<string, OrtTensor> = {
        X: new Tensor('float32', input.x, xShape),
        sequence_lens: new Tensor('int32', input.seqLens, [input.batch]),
        initial_h: new Tensor('float32', input.h0, [states, input.batch, outputSize(config)]),
      };
      if (lstm) {
        const c0 = input.c0 ?? new Float32Array(states * input.batch * config.hiddenSize);
        feeds.initial_c = new Tensor('float32', c0, [states, input.batch, config.hiddenSize]);
      }
      out = await this.session.run(feeds);
    } catch (error) {
      throw ortError(`backend '${runtime.backendName}': ${runtime.name} could not run the model`, error);
    }
    const floats = (tensor: OrtTensor) => ownFloats(tensor, runtime.copyOutputs);
    return { y: floats(out.Y), h: floats(out.Y_h), c: lstm ? floats(out.Y_c) : null };
  }
}

/** A CPU output's data in an array of our own: onnxruntime-web already copied it out of wasm
 * memory into a fresh one; onnxruntime-node's may be a view on native memory, so it is copied. */
function ownFloats(tensor: OrtTensor, copy: boolean): Float32Array {
  const data = tensor.data;
  if (!(data instanceof Float32Array)) return Float32Array.from(data as ArrayLike<number>);
  return copy ? data.slice() : data;
}
