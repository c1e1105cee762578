import type { WasmHeap } from './heap.js';
import type { WasmLayer } from './layer.js';
import { roundUpToPanel } from './pack.js';
import { ScratchBlock } from './scratch-block.js';

/** A backward scratch above this is freed after the call that needed it; below, it is kept
 * for the next training step (S2 LSTM: 14 MB). */
const KEEP_BYTES = 64 << 20;

/** Byte offsets of one runSequenceBackward call's work buffers, carved from one block. */
export interface BackwardScratch {
  /** [T·B, G·hp] every step's gate gradients (GRU reset-after: the hidden side). */
  readonly dA: number;
  /** [T·B, hp] GRU reset-after: the input side's n block. */
  readonly dAn: number;
  /** [T·B, pp] LSTM projection: every step's ∂L/∂h (for ∂L/∂W_hr). */
  readonly dProj: number;
  /** [B, pp] carried ∂L/∂h; [B, hp] carried ∂L/∂c; [B, hp] ∂L/∂r (projection) or W_hnᵀ·dA_n. */
  readonly dh: number;
  readonly dc: number;
  readonly dr: number;
  /** [3hp] peephole gradients. */
  readonly dPeep: number;
  /** The padded weight gradient of one GEMM, before it is added in PyTorch layout. */
  readonly tmp: number;
  /** [G·hp] ×2: bias gradients (hidden side, input side). */
  readonly bias: number;
  readonly biasIn: number;
  /** A zero row (the init of GEMMs that start from nothing). */
  readonly zero: number;
  /** [B] i32 seqLens. */
  readonly lens: number;
  /** [T·B, ip] the layer input with padded rows, and ∂L/∂input before it is added (only when
   * the input size is not a multiple of 16; else 0). */
  readonly xPad: number;
  readonly dxPad: number;
  /** gemmTN's packing space, `packFloats` per thread. */
  readonly pack: number;
  readonly packFloats: number;
}

/** Rows of m per block of gemmTN (assembly/gemm.ts M_BLOCK). */
const TN_BLOCK = 128;

/** The backward's work buffers, one block for the backend, like SequenceScratch. */
export class BackwardScratchBlock extends ScratchBlock {
  constructor(
    heap: WasmHeap,
    private readonly threads = 1,
  ) {
    super(heap, KEEP_BYTES);
  }

  take(layer: WasmLayer, steps: number, batch: number): BackwardScratch {
    const { columns: N, hiddenPadded: hp, outputPadded: pp, inputSize: I } = layer;
    const ip = roundUpToPanel(I);
    const M = steps * batch;
    const padInput = I % 16 !== 0;
    const packFloats = (N + Math.max(pp, ip, hp)) * TN_BLOCK;
    const floats = [
      M * N,
      layer.cell === 'gru' && layer.resetAfter ? M * hp : 0,
      layer.weightHr ? M * pp : 0,
      batch * pp,
      batch * hp,
      batch * hp,
      3 * hp,
      Math.max(N * pp, N * ip, pp * hp),
      N,
      N,
      Math.max(pp, hp, ip),
      batch,
      padInput ? M * ip : 0,
      padInput ? M * ip : 0,
      packFloats * this.threads,
    ];
    const carved = this.carve(floats);
    // An unused buffer (0 floats) is passed as 0.
    const at = carved.map((address, i) => (floats[i] > 0 ? address : 0));
    // dh … zero: zeroed (the carried gradients' padding, the accumulators and the zero row).
    this.heap.f32().fill(0, at[3] >>> 2, carved[11] >>> 2);
    return {
      dA: at[0],
      dAn: at[1],
      dProj: at[2],
      dh: at[3],
      dc: at[4],
      dr: at[5],
      dPeep: at[6],
      tmp: at[7],
      bias: at[8],
      biasIn: at[9],
      zero: at[10],
      lens: at[11],
      xPad: at[12],
      dxPad: at[13],
      pack: at[14],
      packFloats,
    };
  }
}
