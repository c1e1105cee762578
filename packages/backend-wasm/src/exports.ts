/** The leading arguments of every per-step gate kernel (assembly/cells.ts, backward.ts): batch
 * rows, the padded hidden size hp, the step t and lens (i32 seqLens; 0: every row active). */
type StepRows = [batch: number, hp: number, t: number, lens: number];

/** A step over pre, rec and one state h: GRU reset-after, GRU reset-before's new state, RNN. */
type StateStep = (...args: [...StepRows, pre: number, rec: number, h: number, params: number]) => void;

/** `cols` floats of `rows` rows from src to dst (strides in floats), the rows active at step t. */
type ActiveRows = [
  src: number,
  srcStride: number,
  dst: number,
  dstStride: number,
  rows: number,
  cols: number,
  t: number,
  lens: number,
];

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
    ...args: [...StepRows, pre: number, rec: number, c: number, hOut: number, peep: number, params: number]
  ): void;
  gruCellResetAfter: StateStep;
  gruResetGates(
    ...args: [...StepRows, pre: number, rec: number, h: number, rh: number, params: number]
  ): void;
  gruNewState: StateStep;
  rnnCell: StateStep;
  copyRows(...args: [...ActiveRows, zeroInactive: number]): void;
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
  addActiveRows(...args: ActiveRows): void;
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
    ...args: [
      ...StepRows,
      dh: number,
      a: number,
      y: number,
      hPrev: number,
      hn: number,
      dA: number,
      dAn: number,
      params: number,
    ]
  ): void;
  gruBeforeBackward1(
    ...args: [...StepRows, dh: number, a: number, y: number, hPrev: number, dA: number, params: number]
  ): void;
  gruBeforeBackward2(
    ...args: [
      ...StepRows,
      drh: number,
      dh: number,
      a: number,
      y: number,
      hPrev: number,
      dA: number,
      params: number,
    ]
  ): void;
  rnnBackward(...args: [...StepRows, dh: number, a: number, y: number, dA: number, params: number]): void;
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
