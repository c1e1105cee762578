import type { SequenceJob } from '@gated/core';
import type { GatedWasmExports } from './exports.js';
import type { WasmHeap } from './heap.js';
import { ensureScratch, freeScratch, type Scratch, type WasmLayer } from './layer.js';
import { PANEL } from './pack.js';

/** A buffer in the backend's wasm memory: byte offset and length in f32 values. */
export interface WasmBuffer {
  readonly ptr: number;
  readonly length: number;
}

/** Scratch input projections above this many floats (16 MiB) are not kept between calls. */
const KEEP_PRE_FLOATS = 1 << 22;

/**
 * One layer-direction over T steps: one GEMM projects every step's input, then each step runs
 * one fused recurrent GEMM for all gates and the fused gate math, in place on padded copies of
 * h and c. Allocates nothing per step.
 */
export function runSequence(
  wasm: GatedWasmExports,
  heap: WasmHeap,
  job: SequenceJob<WasmBuffer, WasmLayer>,
): void {
  const L = job.layer;
  const T = job.steps;
  const B = job.batch;
  const s = ensureScratch(heap, L, T * B, B);
  const { columns: N, hiddenPadded: hp, outputPadded: pp, hidden: H, output: Hout } = L;
  const panels = N / PANEL;
  let lens = 0;
  if (job.seqLens) {
    new Int32Array(heap.memory.buffer, s.lens, B).set(job.seqLens);
    lens = s.lens;
  }
  const hState = job.h.ptr + job.hOffset * 4;
  const cState = job.c ? job.c.ptr + job.cOffset * 4 : 0;
  wasm.copyRows(hState, Hout, s.h, pp, B, Hout, 0, 0, 0);
  if (cState) wasm.copyRows(cState, H, s.c, hp, B, H, 0, 0, 0);

  wasm.gemm(job.input.ptr, L.inputSize, T * B, L.inputSize, L.weightIh, 0, panels, L.biasPre, 0, s.pre, N);

  const rowBytes = B * N * 4;
  if (!job.gates && !L.weightHr) {
    const cell = L.cell === 'lstm' ? 0 : L.cell === 'rnn' ? 3 : L.resetAfter ? 1 : 2;
    const out = job.output.ptr + job.outputOffset * 4;
    wasm.runRecurrence(
      cell,
      T,
      job.reverse ? 1 : 0,
      B,
      H,
      hp,
      lens,
      s.pre,
      rowBytes,
      L.weightHh,
      L.biasRec,
      s.rec,
      s.h,
      s.c,
      s.r,
      L.peephole,
      L.params,
      out,
      B * job.outputStride * 4,
      job.outputStride,
    );
    finish(wasm, heap, job, s, L, hState, cState);
    return;
  }
  const traceCount = L.cell === 'lstm' ? 5 : L.gates;
  for (let step = 0; step < T; step++) {
    const t = job.reverse ? T - 1 - step : step;
    const pre = s.pre + t * rowBytes;
    switch (L.cell) {
      case 'lstm':
        wasm.gemm(s.h, pp, B, Hout, L.weightHh, 0, panels, L.biasRec, 0, s.rec, N);
        wasm.lstmCell(B, hp, t, lens, pre, s.rec, s.c, L.weightHr ? s.r : s.h, L.peephole, L.params);
        if (L.weightHr) {
          wasm.gemm(s.r, hp, B, H, L.weightHr, 0, pp / PANEL, L.biasProj, 0, s.proj, pp);
          wasm.copyRows(s.proj, pp, s.h, pp, B, Hout, t, lens, 0);
        }
        break;
      case 'gru':
        if (L.resetAfter) {
          wasm.gemm(s.h, pp, B, H, L.weightHh, 0, panels, L.biasRec, 0, s.rec, N);
          wasm.gruCellResetAfter(B, hp, t, lens, pre, s.rec, s.h, L.params);
        } else {
          const gatePanels = hp / PANEL;
          wasm.gemm(s.h, pp, B, H, L.weightHh, 0, 2 * gatePanels, L.biasRec, 0, s.rec, N);
          wasm.gruResetGates(B, hp, t, lens, pre, s.rec, s.h, s.r, L.params);
          wasm.gemm(s.r, hp, B, H, L.weightHh, 2 * gatePanels, panels, L.biasRec, 0, s.rec, N);
          wasm.gruNewState(B, hp, t, lens, pre, s.rec, s.h, L.params);
        }
        break;
      case 'rnn':
        wasm.gemm(s.h, pp, B, H, L.weightHh, 0, panels, L.biasRec, 0, s.rec, N);
        wasm.rnnCell(B, hp, t, lens, pre, s.rec, s.h, L.params);
        break;
    }
    const outRow = job.output.ptr + (t * B * job.outputStride + job.outputOffset) * 4;
    wasm.copyRows(s.h, pp, outRow, job.outputStride, B, Hout, t, lens, 1);
    if (job.gates) {
      for (let g = 0; g < traceCount; g++) {
        const src = g < L.gates ? s.rec + g * hp * 4 : s.c;
        const srcStride = g < L.gates ? N : hp;
        wasm.copyRows(src, srcStride, job.gates.ptr + (g * T + t) * B * H * 4, H, B, H, t, lens, 1);
      }
    }
  }

  finish(wasm, heap, job, s, L, hState, cState);
}

/** Copies the final state out and drops an outsized input projection. */
function finish(
  wasm: GatedWasmExports,
  heap: WasmHeap,
  job: SequenceJob<WasmBuffer, WasmLayer>,
  s: Scratch,
  L: WasmLayer,
  hState: number,
  cState: number,
): void {
  const { hiddenPadded: hp, outputPadded: pp, hidden: H, output: Hout } = L;
  wasm.copyRows(s.h, pp, hState, Hout, job.batch, Hout, 0, 0, 0);
  if (cState) wasm.copyRows(s.c, hp, cState, H, job.batch, H, 0, 0, 0);
  if (job.steps * job.batch * L.columns > KEEP_PRE_FLOATS) freeScratch(heap, L);
}
