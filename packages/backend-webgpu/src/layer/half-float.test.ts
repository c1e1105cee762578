import { describe, expect, it } from 'vitest';
import { fromHalfBits, HALF_MAX, toHalfBits } from './half-float.js';

describe('toHalfBits', () => {
  it('encodes exact values, signed zeros, the range ends and Infinity', () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(0)).toBe(0);
    expect(toHalfBits(-0)).toBe(0x8000);
    expect(toHalfBits(HALF_MAX)).toBe(0x7bff);
    expect(toHalfBits(65520)).toBe(0x7c00);
    expect(toHalfBits(Number.NEGATIVE_INFINITY)).toBe(0xfc00);
    expect(toHalfBits(2 ** -24)).toBe(1);
    expect(toHalfBits(2 ** -14)).toBe(0x0400);
  });

  it('rounds to nearest with ties to even, subnormals included', () => {
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie, even stays
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie, odd rounds up
    expect(toHalfBits(2 ** -25)).toBe(0); // tie between 0 and the smallest subnormal
    expect(toHalfBits(1.5 * 2 ** -25)).toBe(1);
    expect(toHalfBits(3 * 2 ** -25)).toBe(2); // tie, odd 1 rounds up to 2
  });

  it('round-trips every finite f16 and is the nearest f16 for values in between', () => {
    for (let h = 0; h < 0x7c00; h++) {
      expect(toHalfBits(fromHalfBits(h))).toBe(h);
      expect(toHalfBits(-fromHalfBits(h))).toBe(h | 0x8000);
    }
    for (let h = 0; h < 0x7bff; h += 97) {
      const low = fromHalfBits(h);
      const high = fromHalfBits(h + 1);
      expect(toHalfBits(low + (high - low) * 0.49)).toBe(h);
      expect(toHalfBits(low + (high - low) * 0.51)).toBe(h + 1);
    }
  });
});
