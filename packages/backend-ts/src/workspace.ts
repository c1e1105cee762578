import type { Real, RealConstructor } from './real.js';

/** Scratch memory of the step loops, shared by every layer of every model of one backend
 * (runSequence is synchronous, so one sequence runs at a time). Grown on demand before a
 * sequence starts; the steps themselves never allocate. */
export class Workspace {
  /** Input projections of a chunk of steps, [steps·B, G·H]. */
  pre: Real;
  /** Recurrent products of one step, [B, G·H]. */
  recurrent: Real;
  /** LSTM r = o ⊙ h_act(c') before projection, or GRU r ⊙ h, [B, H]. */
  hidden: Real;
  /** LSTM projected h [B, P], or GRU r and z [B, 2H]. */
  gates: Real;

  constructor(private readonly Real: RealConstructor) {
    this.pre = new Real(0);
    this.recurrent = new Real(0);
    this.hidden = new Real(0);
    this.gates = new Real(0);
  }

  /** Makes every buffer at least the given size. */
  reserve(pre: number, recurrent: number, hidden: number, gates: number): void {
    if (this.pre.length < pre) this.pre = new this.Real(pre);
    if (this.recurrent.length < recurrent) this.recurrent = new this.Real(recurrent);
    if (this.hidden.length < hidden) this.hidden = new this.Real(hidden);
    if (this.gates.length < gates) this.gates = new this.Real(gates);
  }

  release(): void {
    this.pre = new this.Real(0);
    this.recurrent = new this.Real(0);
    this.hidden = new this.Real(0);
    this.gates = new this.Real(0);
  }
}
