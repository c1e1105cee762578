import { describe, expect, it } from 'vitest';
import { SkipRow } from '../subject.js';
import { trainingKitFrom } from './kit.js';

describe('trainingKitFrom', () => {
  it("takes @gated/train's meanSquaredError and adam", () => {
    const module = { meanSquaredError: () => null, adam: () => null, sgd: () => null };
    expect(trainingKitFrom(module)).toBe(module);
  });

  it('skips the gated rows, naming what @gated/train does not export yet', () => {
    expect(() => trainingKitFrom({ meanSquaredError: () => null })).toThrow(SkipRow);
    expect(() => trainingKitFrom({})).toThrow('@gated/train does not export meanSquaredError and adam');
  });
});
