import type { SequenceJob } from '@gated/core';
import type { GatedWasmExports } from './exports.js';
import type { WasmLayer } from './layer.js';
import { PANEL } from './pack.js';
import type { Scratch } from './scratch.js';
import { type TapeLayout, tapeLayout } from './tape.js';

/** A buffer in the backend's wasm memory: byte offset and length in f32 values. */
export interface WasmBuffer {
  readonly ptr: number;
  readonly length: number;
}

/**
 * One layer-direction over T steps, in chunks of steps (s.chunkSteps): one GEMM projects a
 * chunk's inputs, then each of its steps runs one fused recurrent GEMM for all gates and the
 * fused gate math, in place on padded copies of h and c. A reverse direction runs the chunks
 * last to first. Allocates nothing: `s` is the backend's scratch, taken for this call.
 */
export function runSequence(
  wasm: GatedWasmExports,
  memory: WebAssembly.Memory,
  s: Scratch,
  job: SequenceJob<WasmBuffer, WasmLayer>,
): void {
  const L = job.layer;
  const T = job.steps;
  const B = job.batch;
  const { columns: N, hiddenPadded: hp, outputPadded: pp, hidden: H, output: Hout } = L;
  const panels = N / PANEL;
  let lens = 0;
  if (job.seqLens) {
    new Int32Array(memory.buffer, s.lens, B).set(job.seqLens);
    lens = s.lens;
  }
  const hState = job.h.ptr + job.hOffset * 4;
  const cState = job.c ? job.c.ptr + job.cOffset * 4 : 0;
  wasm.copyRows(hState, Hout, s.h, pp, B, Hout, 0, 0, 0);
  if (cState) wasm.copyRows(cState, H, s.c, hp, B, H, 0, 0, 0);

  const rowBytes = B * N * 4;
  const outStep = B * job.outputStride * 4;
  const out = job.output.ptr + job.outputOffset * 4;
  const chunks = Math.ceil(T / s.chunkSteps);
  const tape = job.tape ? { ptr: job.tape.ptr, layout: tapeLayout(L, T, B) } : null;
  for (let index = 0; index < chunks; index++) {
    const chunk = job.reverse ? chunks - 1 - index : index;
    const first = chunk * s.chunkSteps;
    const steps = Math.min(s.chunkSteps, T - first);
    const input = job.input.ptr + first * B * L.inputSize * 4;
    wasm.gemm(input, L.inputSize, steps * B, L.inputSize, L.weightIh, 0, panels, L.biasPre, 0, s.pre, N);
    if (!job.gates && !L.weightHr && !tape) {
      const cell = L.cell === 'lstm' ? 0 : L.cell === 'rnn' ? 3 : L.resetAfter ? 1 : 2;
      wasm.runRecurrence(
        cell,
        first,
        steps,
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
        out + first * outStep,
        outStep,
        job.outputStride,
      );
    } else {
      for (let local = 0; local < steps; local++) {
        const t = first + (job.reverse ? steps - 1 - local : local);
        tracedStep(wasm, job, s, t, s.pre + (t - first) * rowBytes, lens, tape);
      }
    }
  }
  wasm.copyRows(s.h, pp, hState, Hout, B, Hout, 0, 0, 0);
  if (cState) wasm.copyRows(s.c, hp, cState, H, B, H, 0, 0, 0);
}

/** Step t driven from JS (gate traces, LSTM projection, recording): the same kernels as
 * runRecurrence, so both paths give the same bits (cells.test.ts). With a tape, the step also
 * records what the backward needs (src/tape.ts), each pre-activation formed as the cell kernel
 * forms it. */
function tracedStep(
  wasm: GatedWasmExports,
  job: SequenceJob<WasmBuffer, WasmLayer>,
  s: Scratch,
  t: number,
  pre: number,
  lens: number,
  tape: { ptr: number; layout: TapeLayout } | null,
): void {
  const L = job.layer;
  const { steps: T, batch: B } = job;
  const { columns: N, hiddenPadded: hp, outputPadded: pp, hidden: H, output: Hout } = L;
  const panels = N / PANEL;
  // Tape rows of step t (byte pointers; see tape.ts), or null.
  const at = (offset: number, width: number) => tape!.ptr + (offset + t * B * width) * 4;
  const rec = tape
    ? {
        a: at(tape.layout.a, N),
        y: at(tape.layout.y, N),
        hPrev: at(tape.layout.hPrev, pp),
        cPrev: at(tape.layout.cPrev, hp),
        cNew: at(tape.layout.cNew, hp),
        r: at(tape.layout.r, hp),
        extra: at(tape.layout.extra, hp),
      }
    : null;
  const copy = (src: number, dst: number, floats: number) =>
    wasm.copyRows(src, 0, dst, 0, 1, floats, 0, 0, 0);
  const g = hp * 4; // bytes per gate block
  switch (L.cell) {
    case 'lstm':
      wasm.gemm(s.h, pp, B, Hout, L.weightHh, 0, panels, L.biasRec, 0, s.rec, N);
      if (rec) {
        copy(s.h, rec.hPrev, B * pp);
        copy(s.c, rec.cPrev, B * hp);
        wasm.recordSum(B, N, pre, N, s.rec, N, rec.a, N);
        if (L.peephole) {
          wasm.recordPeephole(B, hp, rec.a, N, L.peephole, s.c);
          wasm.recordPeephole(B, hp, rec.a + g, N, L.peephole + g, s.c);
        }
      }
      wasm.lstmCell(B, hp, t, lens, pre, s.rec, s.c, L.weightHr ? s.r : s.h, L.peephole, L.params);
      if (rec) {
        copy(s.rec, rec.y, B * N);
        copy(s.c, rec.cNew, B * hp);
        if (L.peephole) wasm.recordPeephole(B, hp, rec.a + 3 * g, N, L.peephole + 2 * g, s.c);
        if (L.weightHr) copy(s.r, rec.r, B * hp);
      }
      if (L.weightHr) {
        wasm.gemm(s.r, hp, B, H, L.weightHr, 0, pp / PANEL, L.biasProj, 0, s.proj, pp);
        wasm.copyRows(s.proj, pp, s.h, pp, B, Hout, t, lens, 0);
      }
      break;
    case 'gru':
      if (rec) copy(s.h, rec.hPrev, B * hp);
      if (L.resetAfter) {
        wasm.gemm(s.h, pp, B, H, L.weightHh, 0, panels, L.biasRec, 0, s.rec, N);
        if (rec) {
          wasm.recordSum(B, 2 * hp, pre, N, s.rec, N, rec.a, N);
          wasm.copyRows(s.rec + 2 * g, N, rec.extra, hp, B, hp, 0, 0, 0);
        }
        wasm.gruCellResetAfter(B, hp, t, lens, pre, s.rec, s.h, L.params);
        if (rec) wasm.recordGruCandidate(B, hp, pre + 2 * g, s.rec, rec.extra, rec.a + 2 * g, N);
      } else {
        const gatePanels = hp / PANEL;
        wasm.gemm(s.h, pp, B, H, L.weightHh, 0, 2 * gatePanels, L.biasRec, 0, s.rec, N);
        if (rec) wasm.recordSum(B, 2 * hp, pre, N, s.rec, N, rec.a, N);
        wasm.gruResetGates(B, hp, t, lens, pre, s.rec, s.h, s.r, L.params);
        wasm.gemm(s.r, hp, B, H, L.weightHh, 2 * gatePanels, panels, L.biasRec, 0, s.rec, N);
        if (rec) {
          copy(s.r, rec.extra, B * hp);
          wasm.recordSum(B, hp, pre + 2 * g, N, s.rec + 2 * g, N, rec.a + 2 * g, N);
        }
        wasm.gruNewState(B, hp, t, lens, pre, s.rec, s.h, L.params);
      }
      if (rec) copy(s.rec, rec.y, B * N);
      break;
    case 'rnn':
      if (rec) copy(s.h, rec.hPrev, B * hp);
      wasm.gemm(s.h, pp, B, H, L.weightHh, 0, panels, L.biasRec, 0, s.rec, N);
      if (rec) wasm.recordSum(B, N, pre, N, s.rec, N, rec.a, N);
      wasm.rnnCell(B, hp, t, lens, pre, s.rec, s.h, L.params);
      if (rec) copy(s.rec, rec.y, B * N);
      break;
  }
  const outRow = job.output.ptr + (t * B * job.outputStride + job.outputOffset) * 4;
  wasm.copyRows(s.h, pp, outRow, job.outputStride, B, Hout, t, lens, 1);
  if (job.gates) {
    const traceCount = L.cell === 'lstm' ? 5 : L.gates;
    for (let g = 0; g < traceCount; g++) {
      const src = g < L.gates ? s.rec + g * hp * 4 : s.c;
      const srcStride = g < L.gates ? N : hp;
      wasm.copyRows(src, srcStride, job.gates.ptr + (g * T + t) * B * H * 4, H, B, H, t, lens, 1);
    }
  }
}
