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
  /** gemm for rows k0 … of a taller packing (w at row k0, panels panelStride bytes apart), in
   * blocks of 256 rows of k (assembly/gemm.ts). */
  gemmStrided(
    a: number,
    lda: number,
    m: number,
    k: number,
    w: number,
    panelStride: number,
    p0: number,
    p1: number,
    init: number,
    ldInit: number,
    out: number,
    ldOut: number,
  ): void;
  /** out[i, c] += Σ_r a[r, i]·b[r, c], i < n, c < 16·panels. */
  gemmTN(
    a: number,
    lda: number,
    m: number,
    n: number,
    b: number,
    ldb: number,
    panels: number,
    out: number,
    ldOut: number,
    pack: number,
  ): void;
  recordSum(
    rows: number,
    cols: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    dst: number,
    ldd: number,
  ): void;
  recordPeephole(rows: number, hp: number, dst: number, ldd: number, p: number, c: number): void;
  recordGruCandidate(
    rows: number,
    hp: number,
    pre: number,
    r: number,
    hn: number,
    dst: number,
    ld: number,
  ): void;
  addActiveRows(
    src: number,
    srcStride: number,
    dst: number,
    dstStride: number,
    rows: number,
    cols: number,
    t: number,
    lens: number,
  ): void;
  lstmBackward(
    batch: number,
    hp: number,
    pp: number,
    t: number,
    lens: number,
    dr: number,
    dh: number,
    dc: number,
    a: number,
    y: number,
    cPrev: number,
    cNew: number,
    dA: number,
    peep: number,
    dPeep: number,
    params: number,
  ): void;
  gruAfterBackward(
    batch: number,
    hp: number,
    t: number,
    lens: number,
    dh: number,
    a: number,
    y: number,
    hPrev: number,
    hn: number,
    dA: number,
    dAn: number,
    params: number,
  ): void;
  gruBeforeBackward1(
    batch: number,
    hp: number,
    t: number,
    lens: number,
    dh: number,
    a: number,
    y: number,
    hPrev: number,
    dA: number,
    params: number,
  ): void;
  gruBeforeBackward2(
    batch: number,
    hp: number,
    t: number,
    lens: number,
    drh: number,
    dh: number,
    a: number,
    y: number,
    hPrev: number,
    dA: number,
    params: number,
  ): void;
  rnnBackward(
    batch: number,
    hp: number,
    t: number,
    lens: number,
    dh: number,
    a: number,
    y: number,
    dA: number,
    params: number,
  ): void;
  columnSums(a: number, lda: number, m: number, n: number, out: number): void;
  addGateRows(
    src: number,
    ldSrc: number,
    dst: number,
    gates: number,
    rows: number,
    rowsPadded: number,
    cols: number,
  ): void;
  peakMulAdd(iterations: number, seed: number): number;
}
