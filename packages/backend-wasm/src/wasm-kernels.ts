import { GatedError, type Kernels } from '@gated/core';
import { BackwardScratchBlock } from './backward-scratch.js';
import { checkBackwardJob, checkJob } from './check-job.js';
import type { GatedWasmExports } from './exports.js';
import type { WasmHeap } from './heap.js';
import { freeLayer, packLayer, type WasmLayer } from './layer.js';
import { runSequenceBackward } from './run-backward.js';
import { runSequence, type WasmBuffer } from './run-sequence.js';
import { SequenceScratch } from './scratch.js';
import { tapeLayout } from './tape.js';
import { transposedWeights } from './transposed.js';
import { float32Length } from './typed-length.js';

/**
 * core's Kernels over one wasm instance and its heap. Every copy between JS and the memory is
 * bounds-checked against the buffer's own recorded length, with lengths read from the arrays'
 * internal slots: one model's bad input can never reach another model's memory.
 */
export function createWasmKernels(
  wasm: GatedWasmExports,
  heap: WasmHeap,
  threads = 1,
): Kernels<WasmBuffer, WasmLayer> {
  const layers = new Set<WasmLayer>();
  const buffers = new Set<WasmBuffer>();
  const scratch = new SequenceScratch(heap);
  const backwardScratch = new BackwardScratchBlock(heap, threads);
  /** Blocks taken by `reserve` for the allocs that follow it, by length (f32 values). */
  const reserved = new Map<number, number[]>();
  const releaseReserved = () => {
    for (const starts of reserved.values()) for (const start of starts) heap.release(start);
    reserved.clear();
  };
  const live = (buffer: WasmBuffer) => buffers.has(buffer);
  const assertLive = (what: string, buffer: WasmBuffer) => {
    if (!live(buffer)) {
      throw new GatedError(
        'INVALID_INPUT',
        `${what}: expected a live buffer of this backend, received a freed or foreign one`,
      );
    }
  };
  const assertLayer = (what: string, layer: WasmLayer) => {
    if (!layers.has(layer)) {
      throw new GatedError(
        'INVALID_INPUT',
        `${what}: expected a live layer of this backend, received a freed or foreign one`,
      );
    }
  };
  return {
    reserve(lengths) {
      // Taking the blocks now, all or none, is what makes the check exact: the allocs of this
      // forward or stream then cannot fail or grow memory, whatever their order.
      releaseReserved();
      for (const length of lengths) checkLength(length);
      const starts = heap.allocAll(lengths.map((length) => length * 4));
      lengths.forEach((length, i) => {
        const list = reserved.get(length);
        if (list) list.push(starts[i]);
        else reserved.set(length, [starts[i]]);
      });
    },
    alloc(length) {
      checkLength(length);
      const ptr = reserved.get(length)?.pop() ?? heap.alloc(length * 4);
      const buffer = Object.freeze({ ptr, length });
      buffers.add(buffer);
      return buffer;
    },
    write(buffer, data, offset = 0) {
      assertLive('write', buffer);
      const count = float32Length(data);
      if (count < 0) {
        throw new GatedError(
          'INVALID_INPUT',
          'write: expected data to be a Float32Array, received something else',
        );
      }
      if (!Number.isSafeInteger(offset) || offset < 0 || offset + count > buffer.length) {
        throw new GatedError(
          'INVALID_INPUT',
          `write: expected ${count} values at offset ${offset} to fit in a buffer of ${buffer.length}, received more`,
        );
      }
      heap.f32().set(data, buffer.ptr / 4 + offset);
    },
    zero(buffer) {
      assertLive('zero', buffer);
      heap.f32().fill(0, buffer.ptr / 4, buffer.ptr / 4 + buffer.length);
    },
    async read(list) {
      for (const buffer of list) assertLive('read', buffer);
      const view = heap.f32();
      return list.map((b) => view.slice(b.ptr / 4, b.ptr / 4 + b.length));
    },
    free(buffer) {
      if (buffers.delete(buffer)) heap.release(buffer.ptr);
    },
    packLayer(spec, weights) {
      const layer = packLayer(heap, spec, weights);
      layers.add(layer);
      return layer;
    },
    freeLayer(layer) {
      if (layers.delete(layer)) freeLayer(heap, layer);
    },
    runSequence(given) {
      // Checked and used as one snapshot: a getter cannot pass the check and then change.
      const job = { ...given };
      assertLayer('runSequence', job.layer);
      checkJob(job, live);
      if (job.steps === 0 || job.batch === 0) return;
      runSequence(wasm, heap.memory, scratch.take(job.layer, job.steps, job.batch), job);
      scratch.trim();
    },
    tapeLength(layer, steps, batch) {
      assertLayer('tapeLength', layer);
      // The backward's transposed weights are packed here, once per layer, before the forward
      // reserves its memory.
      transposedWeights(heap, layer);
      return tapeLayout(layer, steps, batch).length;
    },
    runSequenceBackward(given) {
      const job = { ...given, layout: { ...given.layout } };
      assertLayer('runSequenceBackward', job.layer);
      checkBackwardJob(job, live);
      if (job.steps === 0 || job.batch === 0) return;
      const weights = transposedWeights(heap, job.layer);
      const s = backwardScratch.take(job.layer, job.steps, job.batch);
      runSequenceBackward(wasm, heap.memory, s, weights, job);
      backwardScratch.trim();
    },
    dispose() {
      releaseReserved();
      scratch.release();
      backwardScratch.release();
      for (const layer of layers) freeLayer(heap, layer);
      for (const buffer of buffers) heap.release(buffer.ptr);
      layers.clear();
      buffers.clear();
    },
  };
}

/** A buffer length: a non-negative safe integer (a bad one would misplace the bounds). */
function checkLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new GatedError(
      'INVALID_INPUT',
      `alloc: expected a buffer length that is a non-negative integer, received ${length}`,
    );
  }
}
