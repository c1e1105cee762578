import { GatedError, type NormalizedConfig, numDirections, outputSize, runtimeError } from '@gated/core';
import * as ort from 'onnxruntime-web';

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

/** Session options for every model. The graph has nothing onnxruntime's optimizer can improve
 * (one LSTM/GRU/RNN node per layer and a few Slice/Squeeze/Concat nodes), and its passes cost
 * more than linear time in the number of nodes (see the README): off. onnxruntime's own log is
 * fatal-only because every failure reaches the caller as a GatedError. */
const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  executionProviders: ['wasm'],
  graphOptimizationLevel: 'disabled',
  logSeverityLevel: 4,
};

/** onnxruntime-web's wasm build has a 32-bit memory: 4 GiB for weights and every buffer of a run. */
const WASM_MEMORY_VALUES = 2 ** 30;

/** onnxruntime failures that mean the request (or model) is too large rather than a broken runtime. */
const SIZE_FAILURE = /overflow|allocat|out of memory|bad_alloc/i;

/** A failure of onnxruntime as a GatedError with a short, path-free reason (runtimeError). */
export function ortError(what: string, error: unknown): GatedError {
  const message = error instanceof Error ? error.message : String(error);
  return runtimeError(SIZE_FAILURE.test(message) ? 'INVALID_INPUT' : 'BACKEND_UNAVAILABLE', what, error);
}

/** Loads exported ONNX bytes into an onnxruntime-web session (wasm execution provider). */
export async function createSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(bytes, SESSION_OPTIONS);
  } catch (error) {
    throw ortError("backend 'onnx': onnxruntime-web could not load the model", error);
  }
}

/** Releases a session whose failure, if any, nobody waits for (a dispose, or a compile that
 * lost the race with one): onnxruntime's memory is freed or the runtime is gone either way. */
export function releaseSession(session: ort.InferenceSession): Promise<void> {
  return session.release().catch(() => undefined);
}

/** One session of the graph exportOnnx writes (inputs X, sequence_lens, initial_h, initial_c;
 * outputs Y, Y_h, Y_c), with a queue: every task runs after all tasks enqueued before it,
 * awaited or not, so calls on a model and its streams take effect in call order. */
export class OnnxGraph {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly config: NormalizedConfig,
    private readonly session: ort.InferenceSession,
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
   * onnxruntime's wasm memory: the weights, X, and per layer the node's input projection for all
   * steps (gates·H per step, element and direction, as onnxruntime computes it), its output and
   * the reshaped copy the next layer reads. */
  checkFits(steps: number, batch: number): void {
    const { config } = this;
    const D = numDirections(config);
    const gates = config.cell === 'lstm' ? 4 : config.cell === 'gru' ? 3 : 1;
    const perStep = batch * (config.inputSize + D * config.hiddenSize * (gates + 3));
    const needed = this.weightCount + steps * perStep;
    if (needed > WASM_MEMORY_VALUES) {
      throw new GatedError(
        'INVALID_INPUT',
        `x: expected a request that fits onnxruntime-web's 4 GiB wasm memory (at most ${Math.max(0, Math.floor((WASM_MEMORY_VALUES - this.weightCount) / perStep))} steps at batch ${batch}), received ${steps} steps needing about ${needed} f32 values (split the batch or the sequence)`,
      );
    }
  }

  /** Runs the graph once (call inside a task); resolves the output data and final states. */
  async run(input: GraphRun): Promise<GraphResult> {
    const { config } = this;
    const lstm = config.cell === 'lstm';
    const states = config.numLayers * numDirections(config);
    let out: ort.InferenceSession.ReturnType;
    try {
      const xShape = config.batchFirst
        ? [input.batch, input.steps, config.inputSize]
        : [input.steps, input.batch, config.inputSize];
      const feeds: Record<string, ort.Tensor> = {
        X: new ort.Tensor('float32', input.x, xShape),
        sequence_lens: new ort.Tensor('int32', input.seqLens, [input.batch]),
        initial_h: new ort.Tensor('float32', input.h0, [states, input.batch, outputSize(config)]),
      };
      if (lstm) {
        const c0 = input.c0 ?? new Float32Array(states * input.batch * config.hiddenSize);
        feeds.initial_c = new ort.Tensor('float32', c0, [states, input.batch, config.hiddenSize]);
      }
      out = await this.session.run(feeds);
    } catch (error) {
      throw ortError("backend 'onnx': onnxruntime-web could not run the model", error);
    }
    return { y: floats(out.Y), h: floats(out.Y_h), c: lstm ? floats(out.Y_c) : null };
  }
}

/** A CPU output's data: onnxruntime-web already copied it out of wasm memory into a fresh array. */
function floats(tensor: ort.Tensor): Float32Array {
  const data = tensor.data;
  return data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
}
