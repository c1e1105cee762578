import type { GatedWasmExports } from './exports.js';
import type { PoolWorker, WorkerKernel } from './worker-pool.js';

/** gemmTN's rows per packed block (assembly/gemm.ts M_BLOCK). */
const TN_BLOCK = 128;

type Tail<N extends number, T extends number[] = []> = T['length'] extends N ? T : Tail<N, [...T, number]>;

/** Below this many multiply-adds a GEMM runs on the calling thread: a hand-off costs more. */
const MIN_PARALLEL_MACS = 1 << 16;

/**
 * The kernel exports with the same signatures, split over the calling thread and `workers`:
 * GEMMs by panel range, gate math by batch rows. Each output element is computed by one
 * thread in the same order as on one thread, so results are bit-identical. A whole recurrence
 * (runRecurrence) is split by batch rows, which never interact: one hand-off per sequence
 * instead of two to four per step.
 */
export function parallelKernels(wasm: GatedWasmExports, workers: readonly PoolWorker[]): GatedWasmExports {
  const parts = workers.length + 1;

  /** Runs part 0 here and parts 1… on the workers; args(first, end) gives a part's arguments. */
  function split(kernel: WorkerKernel, total: number, args: (first: number, end: number) => number[]): void {
    const size = Math.ceil(total / parts);
    const busy: PoolWorker[] = [];
    for (let part = 1; part < parts; part++) {
      const first = part * size;
      if (first >= total) break;
      workers[part - 1].start(kernel, args(first, Math.min(total, first + size)));
      busy.push(workers[part - 1]);
    }
    const local = args(0, Math.min(total, size)) as Parameters<GatedWasmExports[WorkerKernel]>;
    (wasm[kernel] as (...a: number[]) => void)(...local);
    for (const worker of busy) worker.join();
  }

  /** Splits a gate-math kernel by batch rows: its arguments are batch, the `scalars`, lens
   * and the `pointers`, row r of pointer i starting at p + r·stride[i] bytes (0: shared). */
  function splitRows(
    kernel: WorkerKernel,
    batch: number,
    scalars: readonly number[],
    lens: number,
    pointers: readonly number[],
    stride: readonly number[],
  ): void {
    split(kernel, batch, (first, end) => [
      end - first,
      ...scalars,
      lens === 0 ? 0 : lens + first * 4,
      ...pointers.map((p, i) => (stride[i] === 0 || p === 0 ? p : p + first * stride[i])),
    ]);
  }

  /** Row-split wrapper for a gate-math kernel (batch, hp, t, lens, …pointers). */
  const rows =
    (kernel: WorkerKernel, strides: (hp: number) => readonly number[]) =>
    (batch: number, hp: number, t: number, lens: number, ...pointers: number[]): void => {
      if (batch < 2) {
        (wasm[kernel] as (...a: number[]) => void)(batch, hp, t, lens, ...pointers);
        return;
      }
      splitRows(kernel, batch, [hp, t], lens, pointers, strides(hp));
    };

  return {
    ...wasm,
    gemm(a, lda, m, k, w, p0, p1, init, ldInit, out, ldOut) {
      if (m * k * (p1 - p0) * 8 < MIN_PARALLEL_MACS || p1 - p0 < parts) {
        wasm.gemm(a, lda, m, k, w, p0, p1, init, ldInit, out, ldOut);
        return;
      }
      split('gemm', p1 - p0, (first, end) => [
        a,
        lda,
        m,
        k,
        w,
        p0 + first,
        p0 + end,
        init,
        ldInit,
        out,
        ldOut,
      ]);
    },
    // Pointer strides per row, in bytes (0: shared by all rows, e.g. peepholes and params).
    lstmCell: rows('lstmCell', (hp) => [16 * hp, 16 * hp, 4 * hp, 4 * hp, 0, 0]),
    gruCellResetAfter: rows('gruCellResetAfter', (hp) => [12 * hp, 12 * hp, 4 * hp, 0]),
    gruResetGates: rows('gruResetGates', (hp) => [12 * hp, 12 * hp, 4 * hp, 4 * hp, 0]),
    gruNewState: rows('gruNewState', (hp) => [12 * hp, 12 * hp, 4 * hp, 0]),
    rnnCell: rows('rnnCell', (hp) => [4 * hp, 4 * hp, 4 * hp, 0]),
    // Training (src/run-backward.ts). Gate math by batch rows; an LSTM with peepholes stays on
    // one thread (its peephole gradients are one accumulator for all rows).
    lstmBackward(batch, hp, pp, t, lens, ...pointers) {
      const peep = pointers[8];
      if (batch < 2 || peep !== 0) {
        wasm.lstmBackward(batch, hp, pp, t, lens, ...(pointers as Tail<11>));
        return;
      }
      const stride = [4 * hp, 4 * pp, 4 * hp, 16 * hp, 16 * hp, 4 * hp, 4 * hp, 16 * hp, 0, 0, 0];
      splitRows('lstmBackward', batch, [hp, pp, t], lens, pointers, stride);
    },
    gruAfterBackward: rows('gruAfterBackward', (hp) => [
      4 * hp,
      12 * hp,
      12 * hp,
      4 * hp,
      4 * hp,
      12 * hp,
      4 * hp,
      0,
    ]),
    gruBeforeBackward1: rows('gruBeforeBackward1', (hp) => [4 * hp, 12 * hp, 12 * hp, 4 * hp, 12 * hp, 0]),
    gruBeforeBackward2: rows('gruBeforeBackward2', (hp) => [
      4 * hp,
      4 * hp,
      12 * hp,
      12 * hp,
      4 * hp,
      12 * hp,
      0,
    ]),
    rnnBackward: rows('rnnBackward', (hp) => [4 * hp, 4 * hp, 4 * hp, 4 * hp, 0]),
    // Over all steps' rows (dx) by rows, per step by panels, as gemm.
    gemmStrided(a, lda, m, k, w, panelStride, p0, p1, init, ldInit, out, ldOut) {
      if (m * k * (p1 - p0) * 16 < MIN_PARALLEL_MACS) {
        wasm.gemmStrided(a, lda, m, k, w, panelStride, p0, p1, init, ldInit, out, ldOut);
      } else if (m >= 64 * parts) {
        const pairs = Math.ceil(m / 2);
        split('gemmStrided', pairs, (first, end) => {
          const r0 = 2 * first;
          const r1 = Math.min(m, 2 * end);
          return [
            a + r0 * lda * 4,
            lda,
            r1 - r0,
            k,
            w,
            panelStride,
            p0,
            p1,
            init + r0 * ldInit * 4,
            ldInit,
            out + r0 * ldOut * 4,
            ldOut,
          ];
        });
      } else if (p1 - p0 >= parts) {
        split('gemmStrided', p1 - p0, (first, end) => [
          a,
          lda,
          m,
          k,
          w,
          panelStride,
          p0 + first,
          p0 + end,
          init,
          ldInit,
          out,
          ldOut,
        ]);
      } else {
        wasm.gemmStrided(a, lda, m, k, w, panelStride, p0, p1, init, ldInit, out, ldOut);
      }
    },
    // Weight gradients by pairs of out rows, each thread packing into its own part of `pack`.
    gemmTN(a, lda, m, n, b, ldb, panels, out, ldOut, pack) {
      if (m * n * panels * 16 < MIN_PARALLEL_MACS || n < 2 * parts) {
        wasm.gemmTN(a, lda, m, n, b, ldb, panels, out, ldOut, pack);
        return;
      }
      const pairs = n / 2;
      const size = Math.ceil(pairs / parts);
      const packBytes = (2 * size + 16 * panels) * TN_BLOCK * 4;
      split('gemmTN', pairs, (first, end) => [
        a + 2 * first * 4,
        lda,
        m,
        2 * (end - first),
        b,
        ldb,
        panels,
        out + 2 * first * ldOut * 4,
        ldOut,
        pack + (first / size) * packBytes,
      ]);
    },
    runRecurrence(
      cell,
      first,
      steps,
      reverse,
      batch,
      hidden,
      hp,
      lens,
      pre,
      preStep,
      w,
      biasRec,
      rec,
      h,
      c,
      rh,
      peep,
      params,
      out,
      outStep,
      outStride,
    ) {
      const columns = hp * (cell === 0 ? 4 : cell === 3 ? 1 : 3);
      const shared = [w, biasRec];
      const run = (row: number, end: number): number[] => [
        cell,
        first,
        steps,
        reverse,
        end - row,
        hidden,
        hp,
        lens === 0 ? 0 : lens + row * 4,
        pre + row * columns * 4,
        preStep,
        ...shared,
        rec + row * columns * 4,
        h + row * hp * 4,
        c === 0 ? 0 : c + row * hp * 4,
        rh + row * hp * 4,
        peep,
        params,
        out + row * outStride * 4,
        outStep,
        outStride,
      ];
      if (batch < 2) {
        wasm.runRecurrence(...(run(0, batch) as Parameters<GatedWasmExports['runRecurrence']>));
        return;
      }
      split('runRecurrence', batch, run);
    },
  };
}
