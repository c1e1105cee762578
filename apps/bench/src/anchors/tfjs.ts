import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { toKeras } from '@gated/core';
import type * as TF from '@tensorflow/tfjs';
import { ADAM } from '../settings.js';
import { type BenchCell, shapeTarget } from '../shapes.js';
import type { PreparedRow, Subject, Task } from '../subject.js';
import { toBatchMajor, toTimeMajor } from './layout.js';

type Tfjs = typeof TF;
let tfjs: Promise<Tfjs> | null = null;

/** tfjs in production mode: fewer checks (its own advice for timing) and no "use tfjs-node"
 * hint on stderr. */
async function loadTfjs(): Promise<Tfjs> {
  tfjs ??= import('@tensorflow/tfjs').then((tf) => {
    tf.enableProdMode();
    return tf;
  });
  return tfjs;
}

async function useTfjsBackend(tf: Tfjs, name: 'cpu' | 'wasm'): Promise<void> {
  if (name === 'wasm' && !tf.findBackendFactory('wasm')) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // In Node the .wasm files are read from the package's dist directory.
    const dist = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
    wasm.setWasmPaths(`${dist}/`);
  }
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend '${name}' failed to initialise`);
  await tf.ready();
}

/** A tfjs-layers LSTM/GRU, configured to compute what gated computes: sigmoid gates (the
 * tfjs default is hardSigmoid), GRU reset_after=False (tfjs throws on True), zero
 * initializers (the default orthogonal one takes seconds) since setWeights follows. */
function recurrentLayer(
  tf: Tfjs,
  cell: BenchCell,
  units: number,
  options: { returnSequences: boolean; returnState?: boolean; inputShape?: number[] },
) {
  const common = {
    units,
    recurrentActivation: 'sigmoid' as const,
    kernelInitializer: 'zeros' as const,
    recurrentInitializer: 'zeros' as const,
    biasInitializer: 'zeros' as const,
    ...options,
  };
  return cell === 'lstm' ? tf.layers.lstm({ ...common, unitForgetBias: false }) : tf.layers.gru(common); // always reset_after=False
}

/** Keras weights (core's toKeras) in model.weights order: per layer, forward (kernel,
 * recurrent kernel, bias), then the backward layer of a bidirectional wrapper. */
function kerasWeightList(tf: Tfjs, task: Task): TF.Tensor[] {
  const { shape } = task;
  const H = shape.hiddenSize;
  const G = task.cell === 'lstm' ? 4 : 3;
  const D = shape.bidirectional ? 2 : 1;
  return toKeras(task.config, task.weights).flatMap((k, index) => {
    const inputSize = index < D ? shape.inputSize : D * H;
    return [
      tf.tensor2d(k.kernel, [inputSize, G * H]),
      tf.tensor2d(k.recurrentKernel, [H, G * H]),
      tf.tensor1d(k.bias as Float32Array),
    ];
  });
}

function forwardModel(tf: Tfjs, task: Task): TF.LayersModel {
  const { shape, cell } = task;
  const model = tf.sequential();
  for (let layer = 0; layer < shape.numLayers; layer++) {
    const inputShape = layer === 0 ? { inputShape: [shape.steps, shape.inputSize] } : {};
    if (shape.bidirectional) {
      const rnn = recurrentLayer(tf, cell, shape.hiddenSize, { returnSequences: true });
      model.add(tf.layers.bidirectional({ layer: rnn, mergeMode: 'concat', ...inputShape }));
    } else {
      model.add(recurrentLayer(tf, cell, shape.hiddenSize, { returnSequences: true, ...inputShape }));
    }
  }
  return model;
}

async function prepareForward(tf: Tfjs, task: Task): Promise<PreparedRow> {
  const { shape } = task;
  const model = forwardModel(tf, task);
  const initial = kerasWeightList(tf, task);
  model.setWeights(initial);
  tf.dispose(initial);
  const x = tf.tensor(toBatchMajor(task.input, shape.steps, shape.batch, shape.inputSize), [
    shape.batch,
    shape.steps,
    shape.inputSize,
  ]);
  const predict = () => model.predict(x, { batchSize: shape.batch }) as TF.Tensor;
  const first = predict();
  const outputSize = first.shape[2] as number;
  const output = toTimeMajor((await first.data()) as Float32Array, shape.batch, shape.steps, outputSize);
  first.dispose();
  return {
    output,
    run: async () => {
      const y = predict();
      await y.data();
      y.dispose();
    },
    dispose: () => {
      x.dispose();
      model.dispose();
    },
  };
}

/** A training row: the same model compiled with Adam (the numbers of ADAM, tfjs's own default
 * eps being 1e-7) and mean squared error over every output value, each call one
 * `trainOnBatch(x, target)` (it reads the loss back, so a call ends when the step has). The
 * checked output is a `predict` before the first step; the losses are the first two steps'. */
async function prepareTraining(tf: Tfjs, task: Task, backendName: 'cpu' | 'wasm'): Promise<PreparedRow> {
  const { shape } = task;
  const model = forwardModel(tf, task);
  const initial = kerasWeightList(tf, task);
  model.setWeights(initial);
  tf.dispose(initial);
  const optimizer = tf.train.adam(ADAM.lr, ADAM.betas[0], ADAM.betas[1], ADAM.eps);
  model.compile({ optimizer, loss: 'meanSquaredError' });
  const x = tf.tensor(toBatchMajor(task.input, shape.steps, shape.batch, shape.inputSize), [
    shape.batch,
    shape.steps,
    shape.inputSize,
  ]);
  const targetData = shapeTarget(shape);
  const outputSize = targetData.length / (shape.steps * shape.batch);
  const target = tf.tensor(toBatchMajor(targetData, shape.steps, shape.batch, outputSize), [
    shape.batch,
    shape.steps,
    outputSize,
  ]);
  const dispose = () => {
    tf.dispose([x, target]);
    model.dispose();
    optimizer.dispose();
  };
  try {
    const predicted = model.predict(x, { batchSize: shape.batch }) as TF.Tensor;
    const output = toTimeMajor(
      (await predicted.data()) as Float32Array,
      shape.batch,
      shape.steps,
      outputSize,
    );
    predicted.dispose();
    const step = async () => Number(await model.trainOnBatch(x, target));
    // The model's variables live on the backend current at prepare; another tfjs row prepared
    // since (in one process) would otherwise have tfjs run this row's steps on its backend.
    const run = async () => {
      if (tf.getBackend() !== backendName) await tf.setBackend(backendName);
      await step();
    };
    const losses: [number, number] = [await step(), await step()];
    return { output, losses, run, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

/** A one-step stream: the layer on T = 1 with the state fed back as initialState. */
async function prepareStream(tf: Tfjs, task: Task): Promise<PreparedRow> {
  const { shape, cell } = task;
  const H = shape.hiddenSize;
  const xIn = tf.input({ batchShape: [shape.batch, 1, shape.inputSize] });
  const stateIn = (cell === 'lstm' ? ['h', 'c'] : ['h']).map(() =>
    tf.input({ batchShape: [shape.batch, H] }),
  );
  const rnn = recurrentLayer(tf, cell, H, { returnSequences: false, returnState: true });
  const outputs = rnn.apply(xIn, { initialState: stateIn }) as TF.SymbolicTensor[];
  const model = tf.model({ inputs: [xIn, ...stateIn], outputs: outputs.slice(1) });
  const initial = kerasWeightList(tf, task);
  model.setWeights(initial);
  tf.dispose(initial);
  const x = tf.tensor(task.input, [shape.batch, 1, shape.inputSize]);
  let state: TF.Tensor[] = stateIn.map(() => tf.zeros([shape.batch, H]));
  const step = async () => {
    const predicted = model.predict([x, ...state]);
    const next = Array.isArray(predicted) ? predicted : [predicted];
    await next[0].data();
    tf.dispose(state);
    state = next;
  };
  await step();
  const output = (await state[0].data()) as Float32Array;
  return {
    output: output.slice(),
    run: step,
    dispose: () => {
      tf.dispose([x, ...state]);
      model.dispose();
    },
  };
}

/** tfjs-layers LSTM/GRU on a tfjs backend ('cpu' is plain JS, 'wasm' is XNNPACK). */
export function tfjsLayersAnchor(backend: 'cpu' | 'wasm'): Subject {
  const name = `tfjs-layers@${backend}`;
  return {
    name,
    kind: 'anchor',
    ref: { source: 'anchor', name },
    aliases: ['tfjs-layers', 'tfjs'],
    slow: backend === 'cpu',
    prepare: async (task) => {
      const tf = await loadTfjs();
      await useTfjsBackend(tf, backend);
      return task.shape.mode === 'stream' ? prepareStream(tf, task) : prepareForward(tf, task);
    },
    prepareTraining: async (task) => {
      const tf = await loadTfjs();
      await useTfjsBackend(tf, backend);
      return prepareTraining(tf, task, backend);
    },
  };
}
