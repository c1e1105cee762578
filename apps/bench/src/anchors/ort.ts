import type { RecurrentConfig, Weights } from '@gated/core';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-web';
import { type PreparedRow, SkipRow, type Subject, type Task } from '../subject.js';

/** The part of onnxruntime-web and onnxruntime-node the bench uses (they share it). */
interface OrtModule {
  readonly InferenceSession: {
    create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession>;
  };
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
}

type ExportOnnx = (
  config: RecurrentConfig,
  weights: Weights,
  options?: { opset?: number; initialState?: boolean },
) => Uint8Array;

/** @gated/onnx's exportOnnx, loaded at run time so that the bench builds and runs while that
 * package is missing or unbuilt. */
async function loadExportOnnx(): Promise<ExportOnnx> {
  const specifier = '@gated/onnx';
  try {
    const module = (await import(specifier)) as { exportOnnx?: ExportOnnx };
    if (typeof module.exportOnnx === 'function') return module.exportOnnx;
  } catch (error) {
    throw new SkipRow(`@gated/onnx could not be loaded (${(error as Error).message.split('\n')[0]})`);
  }
  throw new SkipRow('@gated/onnx has no exportOnnx export');
}

async function prepareOrtRow(
  ort: OrtModule,
  task: Task,
  sessionOptions: InferenceSession.SessionOptions,
): Promise<PreparedRow> {
  const exportOnnx = await loadExportOnnx();
  const { shape } = task;
  const stream = shape.mode === 'stream';
  // A stream step is a T = 1 graph with initial_h/initial_c in and Y_h/Y_c out, fed back.
  const bytes = exportOnnx(task.config, task.weights, { initialState: stream });
  const session = await ort.InferenceSession.create(bytes, {
    graphOptimizationLevel: 'all',
    ...sessionOptions,
  });
  if (!stream) {
    const feeds = { X: new ort.Tensor('float32', task.input, [shape.steps, shape.batch, shape.inputSize]) };
    const first = await session.run(feeds);
    return {
      output: (first.Y.data as Float32Array).slice(),
      run: async () => void (await session.run(feeds)),
      dispose: () => session.release(),
    };
  }
  const kinds = task.cell === 'lstm' ? ['h', 'c'] : ['h'];
  const x = new ort.Tensor('float32', task.input, [1, shape.batch, shape.inputSize]);
  const zeros = () =>
    new ort.Tensor('float32', new Float32Array(shape.batch * shape.hiddenSize), [
      1,
      shape.batch,
      shape.hiddenSize,
    ]);
  let state = kinds.map(zeros);
  const step = async () => {
    const feeds: Record<string, OrtTensor> = { X: x };
    kinds.forEach((k, i) => {
      feeds[`initial_${k}`] = state[i];
    });
    const result = await session.run(feeds);
    state = kinds.map((k) => result[`Y_${k}`]);
  };
  await step();
  return { output: (state[0].data as Float32Array).slice(), run: step, dispose: () => session.release() };
}

/** onnxruntime-web (wasm, SIMD) on the graph exported by @gated/onnx. ort-web's thread count is
 * fixed once per process at its first session, so each thread count runs in its own child
 * process. */
export function ortWebAnchor(threads: 1 | 2): Subject {
  const name = `ort-web@${threads}t`;
  return {
    name,
    kind: 'anchor',
    aliases: ['ort-web', 'ort'],
    ref: { source: 'anchor', name },
    isolated: true,
    ...(threads === 1
      ? {}
      : {
          unpairable: `onnxruntime-web fixes its thread count once per process, so ${name} cannot share a process with ort-web@1t`,
        }),
    prepare: async (task) => {
      const ort = await import('onnxruntime-web');
      // After its first session ort-web writes the count it runs on back here (a backend in
      // the same process, backend-onnx, may have started it first).
      const running = ort.env.wasm.numThreads;
      if (typeof running === 'number' && running !== threads) {
        throw new SkipRow(
          `onnxruntime-web already runs on ${running} threads in this process; ${name} needs ${threads}`,
        );
      }
      ort.env.wasm.numThreads = threads;
      return prepareOrtRow(ort as unknown as OrtModule, task, {});
    },
  };
}

/** onnxruntime-node (native CPU), when its optional package and native binary are installed. */
export function ortNodeAnchor(): Subject {
  return {
    name: 'ort-node',
    kind: 'anchor',
    aliases: ['ort'],
    ref: { source: 'anchor', name: 'ort-node' },
    prepare: async (task) => {
      let ort: OrtModule;
      try {
        ort = (await import('onnxruntime-node')) as unknown as OrtModule;
      } catch (error) {
        throw new SkipRow(`onnxruntime-node is not usable here (${(error as Error).message.split('\n')[0]})`);
      }
      return prepareOrtRow(ort, task, {});
    },
  };
}
