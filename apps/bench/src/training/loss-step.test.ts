import { describe, expect, it } from 'vitest';
import { lossStepMismatch } from './loss-step.js';

describe('lossStepMismatch', () => {
  it("accepts a first Adam step whose loss falls like the reference's, within 2% of that fall", () => {
    expect(lossStepMismatch([0.4, 0.39], [0.4, 0.39])).toBeNull();
    expect(lossStepMismatch([0.4, 0.3901], [0.4, 0.39])).toBeNull();
    expect(lossStepMismatch([0.4, 0.3904], [0.4, 0.39])).not.toBeNull();
  });

  it('names both losses when the fall differs (a wrong gradient, a missing update)', () => {
    expect(lossStepMismatch([0.4, 0.4], [0.4, 0.39])).toBe(
      'loss 0.400000 → 0.400000 after one Adam step, reference 0.400000 → 0.390000 (decreases differ by more than 2%)',
    );
    expect(lossStepMismatch([0.4, 0.38], [0.4, 0.39])).not.toBeNull();
  });
});
