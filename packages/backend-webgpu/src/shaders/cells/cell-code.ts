/** A cell's step math in WGSL, shared by the per-step and the persistent kernels. It is
 * written against accessors each kernel family defines for its own storage:
 *   h_prev(b, k) / h_set(b, j, v)     the state before / after the step (size Hout)
 *   mid_get(b, k) / mid_set(b, j, v)  the vector the second product reads (r, or r ⊙ h)
 *   aux_get(b, j) / aux_set(b, j, v)  a value kept from phase 1 to phase 2 (GRU z)
 * and the common ones: pre_at(tp, b, n), is_active(t, b), trace(g, t, b, j, v), out_at(t, b),
 * clip(x), c_get/c_set (LSTM), bias_hn(j), peep(g, j), w_hh(k, n), weight(base, cols, k, n).
 *
 * phase1(t, tp, b, j, acc) gets acc[g] = Σ_k h_prev(b, k)·W_hh[g·H + j, k]; phase2(t, tp, b, m,
 * acc) (only with a second product) gets acc = Σ_k mid_get(b, k)·w2(k, m). Masked steps
 * (t ≥ L_b) keep the state and write zeros to the output and the traces. */
export interface CellCode {
  /** WGSL: fn phase1 (and phase2, w2 with a second product). */
  readonly code: string;
  /** Rows of the gate trace (GATE_TRACE order). */
  readonly traceCount: number;
  /** Whether the kernels bind the cell state c. */
  readonly usesC: boolean;
}
