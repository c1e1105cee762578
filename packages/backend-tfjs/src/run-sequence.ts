import type { SequenceJob } from '@gated/core';
import type { CellStep } from './cells/cell-step.js';
import { gruStep } from './cells/gru-step.js';
import { lstmStep } from './cells/lstm-step.js';
import { rnnStep } from './cells/rnn-step.js';
import type { TfLayer } from './pack-layer.js';
import { RowBlocks } from './row-blocks.js';
import type { TensorBuffer } from './tensor-buffer.js';
import type { Tf, TfTensor } from './tfjs-module.js';

export type TfJob = SequenceJob<TensorBuffer, TfLayer>;

/** What a step's own tf.tidy keeps: its output row, the new state (c: [] for GRU / RNN) and
 * its gate trace. */
type StepKept = { output: TfTensor; h: TfTensor; c: TfTensor | []; trace: TfTensor[] };

const CELL_STEPS: Record<TfLayer['cell'], CellStep> = { lstm: lstmStep, gru: gruStep, rnn: rnnStep };

/** The input projection of all steps, `projected` [T·B, G·H], as one [G·H, B] tensor per step
 * (feature layout: transposed to [T, G·H, B] once, then each step's block is contiguous), or
 * one [B, G·H] (batch layout: the rows of step t are contiguous already). */
function stepInputs(tf: Tf, blocks: RowBlocks, layer: TfLayer, projected: TfTensor, T: number, B: number) {
  const feature = layer.layout === 'feature';
  if (T === 1) {
    const only = feature ? tf.transpose(projected) : projected;
    return () => only;
  }
  const width = projected.shape[1] as number;
  const steps = tf.reshape(projected, [T, B, width]);
  return blocks.steps(feature ? tf.transpose(steps, [0, 2, 1]) : steps);
}

/** Per-step tensors stacked to time-major rows [T·B, units]. */
function stackSteps(tf: Tf, layer: TfLayer, list: TfTensor[], units: number): TfTensor {
  const feature = layer.layout === 'feature';
  const T = list.length;
  // A tensor of its own (never a step's h, which is placed as the final state too).
  if (T === 1) return feature ? tf.transpose(list[0]) : tf.clone(list[0]);
  const stacked = tf.stack(list);
  return tf.reshape(feature ? tf.transpose(stacked, [0, 2, 1]) : stacked, [-1, units]);
}

/** One layer-direction over T steps, all inside one tf.tidy: the input projection of every
 * step as one matMul with the pre-summed bias, then per step the cell's ops on the layer's
 * state layout (feature-major [units, B] so gates are row blocks; the batch layout of the wasm
 * LSTM, see TfLayer), seqLens as a select per step where some batch
 * element has ended. Nothing is downloaded: the output, final state and gate traces are placed
 * in the job's buffers as tensors. */
export function runSequence(tf: Tf, tfjsBackend: string, job: TfJob): void {
  const { layer, steps: T, batch: B } = job;
  const { hiddenSize: H, outputSize: Hout } = layer.spec;
  const step = CELL_STEPS[layer.cell];
  const [output, h, c, gates] = tf.tidy(() => {
    const x = job.input.readAll(T * B);
    const projected = layer.inputBias
      ? tf.fused.matMul({ a: x, b: layer.inputKernel, bias: layer.inputBias })
      : tf.matMul(x, layer.inputKernel);
    const blocks = new RowBlocks(tf, tfjsBackend === 'wasm');
    try {
      const inputAt = stepInputs(tf, blocks, layer, projected, T, B);
      const feature = layer.layout === 'feature';
      let state = {
        h: job.h.readBlock(job.hOffset, B, Hout, feature),
        c: job.c ? job.c.readBlock(job.cOffset, B, H, feature) : null,
      };
      const masks = stepMasks(tf, job.seqLens, T, B, feature);
      const outputs: TfTensor[] = new Array(T);
      const traces: TfTensor[][] | null = job.gates ? [] : null;
      for (let k = 0; k < T; k++) {
        const t = job.reverse ? T - 1 - k : k;
        // Each step in a tf.tidy of its own: its intermediates are freed at once, so the next
        // step's tensors reuse memory that is still in cache (S2 LSTM on wasm: 8% faster).
        const kept = tf.tidy((): StepKept => {
          const next = step(tf, blocks, layer, inputAt(t), state, traces !== null);
          const active = masks[t];
          if (active === null)
            return { output: next.h, h: next.h, c: next.c ?? [], trace: [...(next.trace ?? [])] };
          // Batch elements past their length keep their state and output zeros.
          return {
            output: tf.where(active, next.h, tf.zerosLike(next.h)),
            h: tf.where(active, next.h, state.h),
            c: state.c && next.c ? tf.where(active, next.c, state.c) : [],
            trace: (next.trace ?? []).map((values) => tf.where(active, values, tf.zerosLike(values))),
          };
        });
        outputs[t] = kept.output;
        kept.trace.forEach((values, g) => {
          traces![g] ??= new Array(T);
          traces![g][t] = values;
        });
        state = { h: kept.h, c: Array.isArray(kept.c) ? null : kept.c };
      }
      // Time-major [T·B, Hout] (and [G', T, B, H] traces): batch-major rows for the next layer.
      const traceValues = traces
        ? tf.concat(traces.map((list) => tf.reshape(stackSteps(tf, layer, list, H), [-1])))
        : tf.zeros([0]);
      // The final state is placed as it is held (the buffers keep a feature-major one transposed).
      return [stackSteps(tf, layer, outputs, Hout), state.h, state.c ?? tf.zeros([0]), traceValues];
    } finally {
      blocks.dispose();
    }
  });
  const unplaced = new Set([output, h, c, gates]);
  const place = (tensor: TfTensor, write: () => void) => {
    unplaced.delete(tensor);
    write();
  };
  try {
    place(output, () => job.output.writeColumns(T * B, job.outputStride, job.outputOffset, output));
    const feature = layer.layout === 'feature';
    place(h, () => job.h.writeTensor(job.hOffset, h, feature ? [B, Hout] : null));
    if (job.c) place(c, () => job.c!.writeTensor(job.cOffset, c, feature ? [B, H] : null));
    if (job.gates) place(gates, () => job.gates!.writeTensor(0, gates, null));
  } finally {
    for (const tensor of unplaced) tensor.dispose();
  }
}

/** Per step, a bool tensor of the batch elements still running (t < L_b): [1, B] against
 * feature-major state, [B, 1] against batch-major; null at steps where all are. */
function stepMasks(
  tf: Tf,
  seqLens: Int32Array | null,
  T: number,
  B: number,
  feature: boolean,
): (TfTensor | null)[] {
  const masks: (TfTensor | null)[] = new Array(T).fill(null);
  if (seqLens === null) return masks;
  for (let t = 0; t < T; t++) {
    const active = Uint8Array.from(seqLens, (length) => (t < length ? 1 : 0));
    if (active.includes(0)) masks[t] = tf.tensor2d(active, feature ? [1, B] : [B, 1], 'bool');
  }
  return masks;
}
