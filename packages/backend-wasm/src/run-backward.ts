import type { BackwardJob } from '@gated/core';
import type { BackwardScratch } from './backward-scratch.js';
import type { GatedWasmExports } from './exports.js';
import type { WasmLayer } from './layer.js';
import { PANEL, roundUpToPanel } from './pack.js';
import type { WasmBuffer } from './run-sequence.js';
import { tapeLayout } from './tape.js';
import type { TransposedWeights } from './transposed.js';

const PANEL_BYTES = PANEL * 4;

/**
 * Backpropagation through time over one recorded layer-direction. Per step, in reverse order
 * of the forward's: the output gradient joins the carried dh, the fused gate math (assembly/
 * backward.ts) writes the step's gate gradients dA [B, G·hp] into the scratch, and ONE GEMM
 * gives the recurrent gradient of all gates and the whole batch (dh_prev = dA · W_hh; GRU
 * reset-before first takes the n block's product, W_hnᵀ·dA_n, which its r gate needs). After
 * the loop, one GEMM over all T·B rows each: dW_ih = dAᵀ·X, dx += dA·W_ih, dW_hh = dAᵀ·H_prev
 * (dW_hr = dHᵀ·R with a projection), and the biases as column sums. Allocates nothing: `s` is
 * the backend's scratch, taken for this call.
 */
export function runSequenceBackward(
  wasm: GatedWasmExports,
  memory: WebAssembly.Memory,
  s: BackwardScratch,
  weights: TransposedWeights,
  job: BackwardJob<WasmBuffer, WasmLayer>,
): void {
  const L = job.layer;
  const { steps: T, batch: B } = job;
  const {
    columns: N,
    hiddenPadded: hp,
    outputPadded: pp,
    hidden: H,
    output: Hout,
    inputSize: I,
    gates: G,
  } = L;
  const ip = roundUpToPanel(I);
  const M = T * B;
  const zero = (ptr: number, floats: number) => new Float32Array(memory.buffer, ptr, floats).fill(0);
  let lens = 0;
  if (job.seqLens) {
    new Int32Array(memory.buffer, s.lens, B).set(job.seqLens);
    lens = s.lens;
  }
  const tape = tapeLayout(L, T, B);
  const region = (offset: number) => job.tape.ptr + offset * 4;
  const row = (offset: number, width: number, t: number) => job.tape.ptr + (offset + t * B * width) * 4;
  const g = hp * 4; // bytes per gate block
  const hhStride = N * PANEL_BYTES;
  const statePanels = pp / PANEL;

  const dhState = job.dh.ptr + job.dhOffset * 4;
  const dcState = job.dc && L.cell === 'lstm' ? job.dc.ptr + job.dcOffset * 4 : 0;
  wasm.copyRows(dhState, Hout, s.dh, pp, B, Hout, 0, 0, 0);
  if (dcState) wasm.copyRows(dcState, H, s.dc, hp, B, H, 0, 0, 0);
  const dOut = job.dOutput.ptr + job.dOutputOffset * 4;
  const dOutStep = B * job.dOutputStride * 4;

  for (let step = 0; step < T; step++) {
    const t = job.reverse ? step : T - 1 - step;
    wasm.addActiveRows(dOut + t * dOutStep, job.dOutputStride, s.dh, pp, B, Hout, t, lens);
    const dA = s.dA + t * B * N * 4;
    const a = row(tape.a, N, t);
    const y = row(tape.y, N, t);
    const hPrev = row(tape.hPrev, pp, t);
    switch (L.cell) {
      case 'lstm': {
        let dr = s.dh;
        if (L.weightHr) {
          // ∂L/∂h of this step for ∂L/∂W_hr (zero rows where masked: they read no r).
          wasm.copyRows(s.dh, pp, s.dProj + t * B * pp * 4, pp, B, pp, t, lens, 1);
          wasm.gemmStrided(s.dh, pp, B, pp, weights.hr, pp * PANEL_BYTES, 0, hp / PANEL, s.zero, 0, s.dr, hp);
          dr = s.dr;
        }
        wasm.lstmBackward(
          B,
          hp,
          pp,
          t,
          lens,
          dr,
          s.dh,
          s.dc,
          a,
          y,
          row(tape.cPrev, hp, t),
          row(tape.cNew, hp, t),
          dA,
          L.peephole,
          s.dPeep,
          L.params,
        );
        wasm.gemmStrided(dA, N, B, N, weights.hh, hhStride, 0, statePanels, s.dh, pp, s.dh, pp);
        break;
      }
      case 'gru': {
        const extra = row(tape.extra, hp, t);
        if (L.resetAfter) {
          wasm.gruAfterBackward(
            B,
            hp,
            t,
            lens,
            s.dh,
            a,
            y,
            hPrev,
            extra,
            dA,
            s.dAn + t * B * hp * 4,
            L.params,
          );
          wasm.gemmStrided(dA, N, B, N, weights.hh, hhStride, 0, statePanels, s.dh, hp, s.dh, hp);
        } else {
          wasm.gruBeforeBackward1(B, hp, t, lens, s.dh, a, y, hPrev, dA, L.params);
          // d(r ⊙ h) = W_hnᵀ·dA_n first: the r gate's gradient needs it.
          wasm.gemmStrided(
            dA + 2 * g,
            N,
            B,
            hp,
            weights.hh + 2 * hp * PANEL_BYTES,
            hhStride,
            0,
            statePanels,
            s.zero,
            0,
            s.dr,
            hp,
          );
          wasm.gruBeforeBackward2(B, hp, t, lens, s.dr, s.dh, a, y, hPrev, dA, L.params);
          wasm.gemmStrided(dA, N, B, 2 * hp, weights.hh, hhStride, 0, statePanels, s.dh, hp, s.dh, hp);
        }
        break;
      }
      case 'rnn':
        wasm.rnnBackward(B, hp, t, lens, s.dh, a, y, dA, L.params);
        wasm.gemmStrided(dA, N, B, N, weights.hh, hhStride, 0, statePanels, s.dh, hp, s.dh, hp);
        break;
    }
  }
  wasm.copyRows(s.dh, pp, dhState, Hout, B, Hout, 0, 0, 0);
  if (dcState) wasm.copyRows(s.dc, hp, dcState, H, B, H, 0, 0, 0);

  const layout = job.layout;
  const grad = job.gradients.ptr + job.gradientsOffset * 4;
  const gruAfter = L.cell === 'gru' && L.resetAfter;
  const gruBefore = L.cell === 'gru' && !L.resetAfter;

  // ∂L/∂W_hh = dA_hiddenᵀ · H_prev over all T·B rows (GRU reset-before: the n block · (r ⊙ h)).
  const hPrevAll = region(tape.hPrev);
  zero(s.tmp, N * pp);
  if (gruBefore) {
    wasm.gemmTN(s.dA, N, M, 2 * hp, hPrevAll, pp, statePanels, s.tmp, pp, s.pack);
    wasm.gemmTN(
      s.dA + 2 * g,
      N,
      M,
      hp,
      region(tape.extra),
      hp,
      statePanels,
      s.tmp + 2 * hp * pp * 4,
      pp,
      s.pack,
    );
  } else {
    wasm.gemmTN(s.dA, N, M, N, hPrevAll, pp, statePanels, s.tmp, pp, s.pack);
  }
  wasm.addGateRows(s.tmp, pp, grad + layout.weightHh * 4, G, H, hp, Hout);

  // ∂L/∂W_ih = dA_inputᵀ · X (GRU reset-after: its n block is dAn).
  let x = job.input.ptr;
  let ldx = I;
  if (s.xPad) {
    wasm.copyRows(job.input.ptr, I, s.xPad, ip, M, I, 0, 0, 0);
    x = s.xPad;
    ldx = ip;
  }
  zero(s.tmp, N * ip);
  if (gruAfter) {
    wasm.gemmTN(s.dA, N, M, 2 * hp, x, ldx, ip / PANEL, s.tmp, ip, s.pack);
    wasm.gemmTN(s.dAn, hp, M, hp, x, ldx, ip / PANEL, s.tmp + 2 * hp * ip * 4, ip, s.pack);
  } else {
    wasm.gemmTN(s.dA, N, M, N, x, ldx, ip / PANEL, s.tmp, ip, s.pack);
  }
  wasm.addGateRows(s.tmp, ip, grad + layout.weightIh * 4, G, H, hp, I);

  // Biases: column sums of the hidden side (b_hh) and of the input side (b_ih).
  if (layout.biasIh !== null && layout.biasHh !== null) {
    wasm.columnSums(s.dA, N, M, N, s.bias);
    wasm.addGateRows(s.bias, 1, grad + layout.biasHh * 4, G, H, hp, 1);
    if (gruAfter) {
      wasm.columnSums(s.dA, N, M, 2 * hp, s.biasIn);
      wasm.columnSums(s.dAn, hp, M, hp, s.biasIn + 2 * g);
      wasm.addGateRows(s.biasIn, 1, grad + layout.biasIh * 4, G, H, hp, 1);
    } else {
      wasm.addGateRows(s.bias, 1, grad + layout.biasIh * 4, G, H, hp, 1);
    }
  }

  // ∂L/∂x += dA_input · W_ih, added in place when rows are whole panels.
  const direct = !s.dxPad;
  const dx = direct ? job.dInput.ptr : s.dxPad;
  const ldDx = direct ? I : ip;
  const init = direct ? dx : s.zero;
  const ldInit = direct ? I : 0;
  const ihPanels = ip / PANEL;
  if (gruAfter) {
    wasm.gemmStrided(s.dA, N, M, 2 * hp, weights.ih, hhStride, 0, ihPanels, init, ldInit, dx, ldDx);
    wasm.gemmStrided(
      s.dAn,
      hp,
      M,
      hp,
      weights.ih + 2 * hp * PANEL_BYTES,
      hhStride,
      0,
      ihPanels,
      dx,
      ldDx,
      dx,
      ldDx,
    );
  } else {
    wasm.gemmStrided(s.dA, N, M, N, weights.ih, hhStride, 0, ihPanels, init, ldInit, dx, ldDx);
  }
  if (!direct) wasm.addActiveRows(s.dxPad, ip, job.dInput.ptr, I, M, I, 0, 0);

  // Projection: ∂L/∂W_hr = dHᵀ · R.
  if (L.weightHr && layout.weightHr !== null) {
    zero(s.tmp, pp * hp);
    wasm.gemmTN(s.dProj, pp, M, pp, region(tape.r), hp, hp / PANEL, s.tmp, hp, s.pack);
    wasm.addGateRows(s.tmp, hp, grad + layout.weightHr * 4, 1, Hout, pp, H);
  }
  if (L.peephole && layout.weightPh !== null) {
    wasm.addGateRows(s.dPeep, 1, grad + layout.weightPh * 4, 3, H, hp, 1);
  }
}
