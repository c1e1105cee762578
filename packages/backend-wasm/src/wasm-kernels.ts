import type { Kernels } from '@gated/core';
import type { GatedWasmExports } from './exports.js';
import type { WasmHeap } from './heap.js';
import { freeLayer, packLayer, type WasmLayer } from './layer.js';
import { runSequence, type WasmBuffer } from './run-sequence.js';

/** core's Kernels over one wasm instance and its heap. */
export function createWasmKernels(wasm: GatedWasmExports, heap: WasmHeap): Kernels<WasmBuffer, WasmLayer> {
  const layers = new Set<WasmLayer>();
  const buffers = new Set<WasmBuffer>();
  return {
    alloc(length) {
      const buffer = { ptr: heap.alloc(length * 4), length };
      buffers.add(buffer);
      return buffer;
    },
    write(buffer, data, offset = 0) {
      heap.f32().set(data, buffer.ptr / 4 + offset);
    },
    zero(buffer) {
      heap.f32().fill(0, buffer.ptr / 4, buffer.ptr / 4 + buffer.length);
    },
    async read(list) {
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
    runSequence(job) {
      runSequence(wasm, heap, job);
    },
    dispose() {
      for (const layer of layers) freeLayer(heap, layer);
      for (const buffer of buffers) heap.release(buffer.ptr);
      layers.clear();
      buffers.clear();
    },
  };
}
