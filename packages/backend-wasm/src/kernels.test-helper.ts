// The wasm kernels and a backend over them, so tests can call the kernels directly (as a
// faulty or hostile caller of the Kernels interface would) beside models of the same memory.
import { ALL_CAPABILITIES, type Backend, defineKernelBackend, type Kernels } from '@gated/core';
import type { GatedWasmExports } from './exports.js';
import { WasmHeap } from './heap.js';
import type { WasmLayer } from './layer.js';
import { loadModule } from './load-module.js';
import type { WasmBuffer } from './run-sequence.js';
import { createWasmKernels } from './wasm-kernels.js';

export interface KernelsUnderTest {
  readonly kernels: Kernels<WasmBuffer, WasmLayer>;
  readonly backend: Backend;
  readonly heap: WasmHeap;
  readonly memory: WebAssembly.Memory;
}

export async function kernelsUnderTest(pages = 16): Promise<KernelsUnderTest> {
  const { module } = await loadModule(false);
  const memory = new WebAssembly.Memory({ initial: pages });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const wasm = instance.exports as unknown as GatedWasmExports;
  const heap = new WasmHeap(memory, wasm.heapBase());
  const kernels = createWasmKernels(wasm, heap);
  const backend = defineKernelBackend({ name: 'wasm', capabilities: ALL_CAPABILITIES, kernels });
  return { kernels, backend, heap, memory };
}
