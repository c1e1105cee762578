import type { Real, RealConstructor } from './real.js';

/** Scratch memory of the backward, shared by every layer of every model of one backend (the
 * backward is synchronous: one runs at a time). Grown before the time loop starts; the steps
 * themselves never allocate. */
export class GradientWorkspace {
  /** Gate pre-activation gradients of every step, [T·B, width] (rows of masked steps zero):
   * the per-step recurrent product reads a step's rows, the weight gradients all of them. */
  gates: Real;
  /** ∂loss/∂h' of every step, [T·B, Hout] (LSTM with projection, for ∂W_hr), or of one step,
   * [B, Hout]. */
  hidden: Real;
  /** [B, H]: LSTM ∂r (projection), GRU ∂(r ⊙ h) (resetBefore). */
  step: Real;
  /** Column sums (bias gradients) and peephole gradients, in double. */
  sums: Float64Array;

  constructor(private readonly Real: RealConstructor) {
    this.gates = new Real(0);
    this.hidden = new Real(0);
    this.step = new Real(0);
    this.sums = new Float64Array(0);
  }

  /** Makes every buffer at least the given size. */
  reserve(gates: number, hidden: number, step: number, sums: number): void {
    if (this.gates.length < gates) this.gates = new this.Real(gates);
    if (this.hidden.length < hidden) this.hidden = new this.Real(hidden);
    if (this.step.length < step) this.step = new this.Real(step);
    if (this.sums.length < sums) this.sums = new Float64Array(sums);
  }

  release(): void {
    this.gates = new this.Real(0);
    this.hidden = new this.Real(0);
    this.step = new this.Real(0);
    this.sums = new Float64Array(0);
  }
}
