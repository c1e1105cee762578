import type { WasmHeap } from './heap.js';
import type { WasmLayer } from './layer.js';
import { ScratchBlock } from './scratch-block.js';

/** Bytes of projected input (pre) per chunk of steps: the input projection runs chunk by
 * chunk, so its scratch no longer grows with T (an 8 MB input at H = 1 took 512 MB for all
 * steps at once). Each chunk costs two worker hand-offs with threads: S2 (12.5 MB of pre) in
 * 2 chunks took 0–2% more CPU time on 2 threads than in 1, in 4 chunks (4 MiB) 3–5% (README). */
export const PRE_CHUNK_BYTES = 8 << 20;
/** A scratch block above this is freed after the call that needed it (very large batches), so
 * one outsized request does not keep it. */
const KEEP_BYTES = 16 << 20;

/** Byte offsets of one runSequence call's work buffers, carved from one block. */
export interface Scratch {
  /** Steps per input-projection chunk. */
  readonly chunkSteps: number;
  /** [chunkSteps·B, N] projected input of a chunk. */
  readonly pre: number;
  /** [B, N] recurrent products, then activated gates. */
  readonly rec: number;
  /** [B, pp], [B, hp], [B, hp], [B, pp]: h, c, r ⊙ h (GRU) or r (LSTM projection input), and
   * the projection's output; zeroed for each call (padding columns must start at 0). */
  readonly h: number;
  readonly c: number;
  readonly r: number;
  readonly proj: number;
  /** [B] i32 seqLens. */
  readonly lens: number;
}

/**
 * The work buffers of the sequence kernels, one block for the whole backend: runSequence calls
 * run one at a time and copy state in and out, so every layer, model and stream shares it.
 * It grows to the largest call and is kept (stream steps allocate nothing) unless above
 * KEEP_BYTES.
 */
export class SequenceScratch extends ScratchBlock {
  constructor(heap: WasmHeap) {
    super(heap, KEEP_BYTES);
  }

  take(layer: WasmLayer, steps: number, batch: number): Scratch {
    const { columns: N, hiddenPadded: hp, outputPadded: pp } = layer;
    const stepBytes = batch * N * 4;
    const chunkSteps = Math.max(1, Math.min(steps, Math.floor(PRE_CHUNK_BYTES / stepBytes)));
    const at = this.carve([
      chunkSteps * batch * N,
      batch * N,
      batch * pp,
      batch * hp,
      batch * hp,
      batch * pp,
      batch,
    ]);
    // h, c, r, proj: contiguous, zeroed so padding columns start (and stay) at 0.
    this.heap.f32().fill(0, at[2] >>> 2, at[6] >>> 2);
    return { chunkSteps, pre: at[0], rec: at[1], h: at[2], c: at[3], r: at[4], proj: at[5], lens: at[6] };
  }
}
