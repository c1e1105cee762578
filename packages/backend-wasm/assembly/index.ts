// The wasm module's exports: kernels over raw f32 pointers into the imported memory. The JS
// side (src/) owns allocation, packing and the time loop.

export { copyRows, gruCellResetAfter, gruNewState, gruResetGates, lstmCell, rnnCell } from './cells';
export {
  addActiveRows,
  addGateRows,
  columnSums,
  gruAfterBackward,
  gruBeforeBackward1,
  gruBeforeBackward2,
  lstmBackward,
  recordGruCandidate,
  recordPeephole,
  recordSum,
  rnnBackward,
} from './backward';
export { gemm, gemmStrided, gemmTN } from './gemm';
export { runRecurrence } from './sequence';
export { peakMulAdd } from './peak';

/** First byte the JS allocator may hand out (after the module's static data). */
export function heapBase(): usize {
  return __heap_base;
}
