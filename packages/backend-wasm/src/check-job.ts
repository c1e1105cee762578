import { type BackwardJob, GatedError, type SequenceJob } from '@gated/core';
import type { WasmLayer } from './layer.js';
import type { WasmBuffer } from './run-sequence.js';
import { tapeLayout } from './tape.js';
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
  const { count, within, seqLens } = jobChecks('runSequence', isLive);
  count('steps', T);
  count('batch', B);
  count('outputStride', job.outputStride);
  count('outputOffset', job.outputOffset);
  count('hOffset', job.hOffset);
  count('cOffset', job.cOffset);
  if (T === 0 || B === 0) return;
  within('input', job.input, T * B * L.inputSize);
  within('output', job.output, (T * B - 1) * job.outputStride + job.outputOffset + L.output);
  within('h', job.h, job.hOffset + B * L.output);
  if (L.cell === 'lstm' || job.c) within('c', job.c, job.cOffset + B * L.hidden);
  if (job.gates) within('gates', job.gates, (L.cell === 'lstm' ? 5 : L.gates) * T * B * L.hidden);
  if (job.tape) within('tape', job.tape, tapeLayout(L, T, B).length);
  seqLens(job.seqLens, B);
}

/** The same for a backward job: every buffer live and holding every row it addresses (the
 * tape as long as this layer's tapeLength), and every gradient block of the layout inside the
 * gradients buffer. */
export function checkBackwardJob(
  job: BackwardJob<WasmBuffer, WasmLayer>,
  isLive: (buffer: WasmBuffer) => boolean,
): void {
  const L = job.layer;
  const { steps: T, batch: B } = job;
  const { fail, count, within, seqLens } = jobChecks('runSequenceBackward', isLive);
  count('steps', T);
  count('batch', B);
  count('dOutputStride', job.dOutputStride);
  count('dOutputOffset', job.dOutputOffset);
  count('dhOffset', job.dhOffset);
  count('dcOffset', job.dcOffset);
  count('gradientsOffset', job.gradientsOffset);
  if (typeof job.layout !== 'object' || job.layout === null)
    fail('layout', 'a gradient layout', String(job.layout));
  const layout = job.layout;
  const G = L.gates;
  const H = L.hidden;
  const P = L.output;
  const blocks: [keyof typeof layout, number, boolean][] = [
    ['weightIh', G * H * L.inputSize, true],
    ['weightHh', G * H * P, true],
    ['biasIh', G * H, false],
    ['biasHh', G * H, false],
    ['weightHr', P * H, false],
    ['weightPh', 3 * H, false],
  ];
  for (const [name, size, required] of blocks) {
    const offset = layout[name];
    if (offset === null && !required) continue;
    count(`layout.${name}`, offset);
    within(`gradients (layout.${name})`, job.gradients, job.gradientsOffset + (offset as number) + size);
  }
  if (T === 0 || B === 0) return;
  within('input', job.input, T * B * L.inputSize);
  within('dInput', job.dInput, T * B * L.inputSize);
  within('tape', job.tape, tapeLayout(L, T, B).length);
  within('dOutput', job.dOutput, (T * B - 1) * job.dOutputStride + job.dOutputOffset + P);
  within('dh', job.dh, job.dhOffset + B * P);
  if (L.cell === 'lstm') within('dc', job.dc, job.dcOffset + B * H);
  seqLens(job.seqLens, B);
}

/** The checks both jobs make, with messages that name the kernel (`${kernel}: expected
 * job.steps to be …`). */
function jobChecks(kernel: string, isLive: (buffer: WasmBuffer) => boolean) {
  const fail = (name: string, expected: string, received: string): never => {
    throw new GatedError(
      'INVALID_INPUT',
      `${kernel}: expected job.${name} to be ${expected}, received ${received}`,
    );
  };
  /** A count or offset: a non-negative safe integer. */
  const count = (name: string, value: unknown) => {
    if (!Number.isSafeInteger(value) || (value as number) < 0) {
      fail(name, 'a non-negative integer', String(value));
    }
  };
  /** A live buffer of this backend that holds values up to `end`. */
  const within = (name: string, buffer: WasmBuffer | null, end: number) => {
    if (!buffer || !isLive(buffer)) {
      fail(name, 'a live buffer of this backend', buffer ? 'a freed or foreign buffer' : 'null');
    }
    if (end > buffer!.length) fail(name, `at least ${end} values`, `${buffer!.length}`);
  };
  /** seqLens, when given: one Int32Array value per batch row. */
  const seqLens = (lens: unknown, batch: number) => {
    if (lens && typedLength(lens, 'Int32Array') !== batch) {
      fail('seqLens', `an Int32Array of ${batch} values`, 'something else');
    }
  };
  return { fail, count, within, seqLens };
}
