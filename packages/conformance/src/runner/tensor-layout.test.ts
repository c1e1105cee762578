import { normalizeConfig } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { cLayout, gateLayout, hLayout, outputLayout, positionOf, streamLayout } from './tensor-layout.js';

const lstm = normalizeConfig({ cell: 'lstm', inputSize: 2, hiddenSize: 4 });
const stack = normalizeConfig({
  cell: 'lstm',
  inputSize: 2,
  hiddenSize: 4,
  numLayers: 2,
  bidirectional: true,
});
const projected = normalizeConfig({ cell: 'lstm', inputSize: 2, hiddenSize: 4, projSize: 3 });

describe('positionOf', () => {
  it('decodes an output index as (t, b, unit), time-major or batch-first', () => {
    // [T 5, B 2, Hout 4]: index (3·2 + 1)·4 + 2
    expect(positionOf(outputLayout(lstm, 5, 2), 30)).toBe('t 3, b 1, unit 2');
    const batchFirst = normalizeConfig({ ...lstm, batchFirst: true });
    // [B 2, T 5, Hout 4]: index (1·5 + 3)·4 + 2
    expect(positionOf(outputLayout(batchFirst, 5, 2), 34)).toBe('b 1, t 3, unit 2');
  });

  it('says which direction a unit of a bidirectional output belongs to', () => {
    expect(positionOf(outputLayout(stack, 3, 2), 2)).toBe('t 0, b 0, forward unit 2');
    expect(positionOf(outputLayout(stack, 3, 2), 8 + 6)).toBe('t 0, b 1, reverse unit 2');
  });

  it('decodes h and c rows as layer and direction, with Hout for h and H for c', () => {
    // [L·D 4, B 2, 4]: row 3 = layer 1 reverse
    expect(positionOf(hLayout(stack, 2), (3 * 2 + 1) * 4 + 0)).toBe('layer 1 reverse, b 1, unit 0');
    expect(positionOf(hLayout(lstm, 2, 'state().h'), 5)).toBe('layer 0, b 1, unit 1');
    expect(hLayout(projected, 1).axes[2].size).toBe(3);
    expect(cLayout(projected, 1).axes[2].size).toBe(4);
  });

  it('names gate traces by layer, direction and gate, and steps of a stream', () => {
    const gates = gateLayout(0, 1, 'f', 3, 2, 4);
    expect(gates.name).toBe('gates[layer 0, reverse].f');
    expect(positionOf(gates, (1 * 2 + 1) * 4 + 2)).toBe('t 1, b 1, unit 2');
    expect(positionOf(streamLayout(lstm, 5, 2), 30)).toBe('step 3, b 1, unit 2');
  });

  it('falls back to the flat index outside the layout', () => {
    expect(positionOf(outputLayout(lstm, 1, 1), 99)).toBe('index 99');
  });
});
