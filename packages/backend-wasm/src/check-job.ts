import { GatedError, type SequenceJob } from '@gated/core';
import type { WasmLayer } from './layer.js';
import type { WasmBuffer } from './run-sequence.js';
import { typedLength } from './typed-length.js';

/**
 * Refuses a job whose kernels would read or write outside its buffers: every buffer must be
 * live (`isLive`) and hold every row the job addresses. core builds jobs from its own validated
 * sizes, so this never fires for core; it is what keeps a wrong job from writing into another
 * model's weights in the same memory. O(1) per job.
 */
export function checkJob(
  job: SequenceJob<WasmBuffer, WasmLayer>,
  isLive: (buffer: WasmBuffer) => boolean,
): void {
  const L = job.layer;
  const { steps: T, batch: B } = job;
  const count = (name: string, value: number) => {
    if (!Number.isSafeInteger(value) || value < 0) fail(name, 'a non-negative integer', String(value));
  };
  count('steps', T);
  count('batch', B);
  count('outputStride', job.outputStride);
  count('outputOffset', job.outputOffset);
  count('hOffset', job.hOffset);
  count('cOffset', job.cOffset);
  const within = (name: string, buffer: WasmBuffer | null, end: number) => {
    if (!buffer || !isLive(buffer)) {
      fail(name, 'a live buffer of this backend', buffer ? 'a freed or foreign buffer' : 'null');
    }
    if (end > buffer!.length) fail(name, `at least ${end} values`, `${buffer!.length}`);
  };
  if (T === 0 || B === 0) return;
  within('input', job.input, T * B * L.inputSize);
  within('output', job.output, (T * B - 1) * job.outputStride + job.outputOffset + L.output);
  within('h', job.h, job.hOffset + B * L.output);
  if (L.cell === 'lstm' || job.c) within('c', job.c, job.cOffset + B * L.hidden);
  if (job.gates) within('gates', job.gates, (L.cell === 'lstm' ? 5 : L.gates) * T * B * L.hidden);
  if (job.seqLens && typedLength(job.seqLens, 'Int32Array') !== B) {
    fail('seqLens', `an Int32Array of ${B} values`, 'something else');
  }
}

function fail(name: string, expected: string, received: string): never {
  throw new GatedError(
    'INVALID_INPUT',
    `runSequence: expected job.${name} to be ${expected}, received ${received}`,
  );
}
