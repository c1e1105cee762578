import {
  type Backend,
  defineKernelBackend,
  gateTraceNames,
  INFERENCE_CAPABILITIES,
  type Kernels,
  type SequenceJob,
} from '@gated/core';
import { type ReferenceLayer, referenceLayer } from './reference-layer.js';
import { runReferenceSequence } from './reference-sequence.js';

/** Core's kernel interface over Float64Array buffers, each runSequence one reference
 * layer-direction. So the reference backend also exercises core's orchestration, while
 * `referenceForward` stays the independent oracle. Exported (not from the entry point) for
 * backends built on it, such as the tests' deliberately broken ones. */
export function referenceKernels(): Kernels<Float64Array, ReferenceLayer> {
  return {
    alloc: (length) => new Float64Array(length),
    write: (buffer, data, offset = 0) => buffer.set(data, offset),
    zero: (buffer) => buffer.fill(0),
    read: async (buffers) => buffers.map((buffer) => Float32Array.from(buffer)),
    free: () => {},
    packLayer: (spec, weights) => referenceLayer(spec.config, spec.layer, weights),
    freeLayer: () => {},
    runSequence: (job) => runJob(job),
  };
}

function runJob(job: SequenceJob<Float64Array, ReferenceLayer>): void {
  const { layer, steps: T, batch: B } = job;
  const { inputSize: I, hiddenSize: H, outputSize: Hout } = layer;
  const result = runReferenceSequence(layer, {
    input: job.input.subarray(0, T * B * I),
    steps: T,
    batch: B,
    h0: job.h.slice(job.hOffset, job.hOffset + B * Hout),
    c0: job.c === null ? null : job.c.slice(job.cOffset, job.cOffset + B * H),
    reverse: job.reverse,
    seqLens: job.seqLens,
  });
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

/** The float64 reference as a Backend (f32 in and out), supporting everything. */
export function createReferenceBackend(): Backend {
  return defineKernelBackend({
    name: 'reference',
    capabilities: INFERENCE_CAPABILITIES,
    kernels: referenceKernels(),
  });
}
