import {
  ALL_CAPABILITIES,
  type Backend,
  type BackwardJob,
  defineKernelBackend,
  gateTraceNames,
  type Kernels,
  type SequenceJob,
} from '@gated/core';
import { type ReferenceBackwardLayer, withDerivatives } from './cell-step-backward.js';
import { referenceLayer } from './reference-layer.js';
import { runReferenceSequence } from './reference-sequence.js';
import { runReferenceSequenceBackward } from './reference-sequence-backward.js';
import { recordReferenceSequence, sequenceTapeLength } from './reference-sequence-tape.js';

/** Core's kernel interface over Float64Array buffers, each runSequence one reference
 * layer-direction, and its backward (a recorded forward keeps every step's values on a
 * float64 tape, cell-step-tape.ts). So the reference backend also exercises core's
 * orchestration, while `referenceForward` and `referenceBackward` stay the independent
 * oracles. Exported (not from the entry point) for backends built on it, such as the tests'
 * deliberately broken ones. */
export function referenceKernels(): Kernels<Float64Array, ReferenceBackwardLayer> {
  return {
    alloc: (length) => new Float64Array(length),
    write: (buffer, data, offset = 0) => buffer.set(data, offset),
    zero: (buffer) => buffer.fill(0),
    read: async (buffers) => buffers.map((buffer) => Float32Array.from(buffer)),
    free: () => {},
    packLayer: (spec, weights) =>
      withDerivatives(referenceLayer(spec.config, spec.layer, weights), spec.config),
    freeLayer: () => {},
    runSequence: (job) => runJob(job),
    tapeLength: (layer, steps, batch) => sequenceTapeLength(layer, steps, batch),
    runSequenceBackward: (job) => runBackwardJob(job),
  };
}

function runJob(job: SequenceJob<Float64Array, ReferenceBackwardLayer>): void {
  const { layer, steps: T, batch: B } = job;
  const { inputSize: I, hiddenSize: H, outputSize: Hout } = layer;
  const input = {
    input: job.input.subarray(0, T * B * I),
    steps: T,
    batch: B,
    h0: job.h.slice(job.hOffset, job.hOffset + B * Hout),
    c0: job.c === null ? null : job.c.slice(job.cOffset, job.cOffset + B * H),
    reverse: job.reverse,
    seqLens: job.seqLens,
  };
  const result = job.tape
    ? recordReferenceSequence(layer, input, job.tape)
    : runReferenceSequence(layer, input);
  for (let row = 0; row < T * B; row++) {
    job.output.set(
      result.output.subarray(row * Hout, (row + 1) * Hout),
      row * job.outputStride + job.outputOffset,
    );
  }
  job.h.set(result.h, job.hOffset);
  if (job.c !== null && result.c !== null) job.c.set(result.c, job.cOffset);
  if (job.gates !== null) {
    const gates = job.gates;
    const names = gateTraceNames(layer.cell);
    for (let g = 0; g < names.length; g++) gates.set(result.gates[names[g]], g * T * B * H);
  }
}

function runBackwardJob(job: BackwardJob<Float64Array, ReferenceBackwardLayer>): void {
  const { layer, steps: T, batch: B, layout } = job;
  const { inputSize: I, hiddenSize: H, outputSize: Hout } = layer;
  // Views of the gradient buffer at the layout's offsets: the step backwards add into them.
  const view = (offset: number | null, length: number) =>
    offset === null
      ? null
      : job.gradients.subarray(job.gradientsOffset + offset, job.gradientsOffset + offset + length);
  const GH = layer.weightIh.length / I;
  runReferenceSequenceBackward(layer, {
    input: job.input.subarray(0, T * B * I),
    tape: job.tape,
    steps: T,
    batch: B,
    dOutput: job.dOutput,
    dOutputStride: job.dOutputStride,
    dOutputOffset: job.dOutputOffset,
    dh: job.dh.subarray(job.dhOffset, job.dhOffset + B * Hout),
    dc: job.dc === null ? null : job.dc.subarray(job.dcOffset, job.dcOffset + B * H),
    dInput: job.dInput.subarray(0, T * B * I),
    gradients: {
      weightIh: view(layout.weightIh, GH * I)!,
      weightHh: view(layout.weightHh, GH * Hout)!,
      biasIh: view(layout.biasIh, GH),
      biasHh: view(layout.biasHh, GH),
      weightHr: view(layout.weightHr, Hout * H),
      weightPh: view(layout.weightPh, 3 * H),
    },
    reverse: job.reverse,
    seqLens: job.seqLens,
  });
}

/** The float64 reference as a Backend (f32 in and out), supporting everything, training
 * included. */
export function createReferenceBackend(): Backend {
  return defineKernelBackend({
    name: 'reference',
    capabilities: ALL_CAPABILITIES,
    kernels: referenceKernels(),
  });
}
