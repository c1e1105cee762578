/** The functions assembly/index.ts exports (pointers are byte offsets into the memory). */
export interface GatedWasmExports {
  heapBase(): number;
  gemm(
    a: number,
    lda: number,
    m: number,
    k: number,
    w: number,
    p0: number,
    p1: number,
    init: number,
    ldInit: number,
    out: number,
    ldOut: number,
  ): void;
  lstmCell(
    batch: number,
    hp: number,
    t: number,
    lens: number,
    pre: number,
    rec: number,
    c: number,
    hOut: number,
    peep: number,
    params: number,
  ): void;
  gruCellResetAfter(
    batch: number,
    hp: number,
    t: number,
    lens: number,
    pre: number,
    rec: number,
    h: number,
    params: number,
  ): void;
  gruResetGates(
    batch: number,
    hp: number,
    t: number,
    lens: number,
    pre: number,
    rec: number,
    h: number,
    rh: number,
    params: number,
  ): void;
  gruNewState(
    batch: number,
    hp: number,
    t: number,
    lens: number,
    pre: number,
    rec: number,
    h: number,
    params: number,
  ): void;
  rnnCell(
    batch: number,
    hp: number,
    t: number,
    lens: number,
    pre: number,
    rec: number,
    h: number,
    params: number,
  ): void;
  copyRows(
    src: number,
    srcStride: number,
    dst: number,
    dstStride: number,
    rows: number,
    cols: number,
    t: number,
    lens: number,
    zeroInactive: number,
  ): void;
  /** cell: 0 LSTM, 1 GRU reset-after, 2 GRU reset-before, 3 RNN; steps first … first + steps − 1
   * of the sequence (assembly/sequence.ts). */
  runRecurrence(
    cell: number,
    first: number,
    steps: number,
    reverse: number,
    batch: number,
    hidden: number,
    hp: number,
    lens: number,
    pre: number,
    preStep: number,
    w: number,
    biasRec: number,
    rec: number,
    h: number,
    c: number,
    rh: number,
    peep: number,
    params: number,
    out: number,
    outStep: number,
    outStride: number,
  ): void;
  peakMulAdd(iterations: number, seed: number): number;
}
