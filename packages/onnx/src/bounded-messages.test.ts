import { isGatedError } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { floatTensor } from './const-tensor.js';
import { GraphBuilder } from './graph-builder.js';
import { importOnnx } from './index.js';
import { encodeModel } from './proto/codec.js';
import { counting } from './test-graphs.js';

/** A 900,000-character string: what a hostile file puts where a name goes. */
const HUGE = 'z'.repeat(900_000);

function messageOf(bytes: Uint8Array): string {
  try {
    importOnnx(bytes);
  } catch (error) {
    if (isGatedError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a GatedError, nothing was thrown');
}

/** One RNN node over X with W and R initializers; `edit` changes the graph before encoding. */
function rnnModel(
  edit: (g: GraphBuilder) => { op?: string; inputs?: string[]; attrs?: Record<string, unknown> },
) {
  const g = new GraphBuilder(17);
  g.input('X', ['T', 'B', 1]);
  g.initializer(floatTensor('W', [1, 1, 1], counting(1)));
  g.initializer(floatTensor('R', [1, 1, 1], counting(1)));
  const { op = 'RNN', inputs = ['X', 'W', 'R'], attrs = { hidden_size: 1 } } = edit(g);
  g.node(op, inputs, attrs, ['Y']);
  return encodeModel({ ir_version: 8, opset_import: [{ domain: '', version: 17 }], graph: g.build('huge') });
}

const CASES: [string, () => Uint8Array][] = [
  ['op type', () => rnnModel(() => ({ op: HUGE }))],
  ['input name no node produces', () => rnnModel(() => ({ inputs: [HUGE, 'W', 'R'] }))],
  ['weight name nothing defines', () => rnnModel(() => ({ inputs: ['X', HUGE, 'R'] }))],
  ['attribute name', () => rnnModel(() => ({ attrs: { [HUGE]: 1 } }))],
  ['direction', () => rnnModel(() => ({ attrs: { direction: HUGE } }))],
  ['activation', () => rnnModel(() => ({ attrs: { activations: [HUGE] } }))],
  [
    'perm of 100,000 axes',
    () =>
      rnnModel((g) => ({
        inputs: [g.node('Transpose', ['X'], { perm: [...Array(100_000).keys()] }), 'W', 'R'],
      })),
  ],
  [
    'reshape shape of 100,000 entries',
    () =>
      rnnModel((g) => ({
        inputs: ['X', g.node('Reshape', ['W', g.int64Const(new Array(100_000).fill(-1))], {}), 'R'],
      })),
  ],
  [
    'node name, output defined twice',
    () =>
      rnnModel((g) => {
        g.node('Identity', ['X'], {}, [HUGE]);
        g.node('Identity', ['X'], {}, [HUGE]);
        return {};
      }),
  ],
];

describe('error messages about hostile files', () => {
  for (const [what, build] of CASES) {
    it(`quote a short prefix of a huge ${what}`, () => {
      const message = messageOf(build());
      expect(message.length).toBeLessThan(400);
      expect(message).toMatch(/zzzzzzzz…|… \+\d+ more|expected at most 16 dims/);
    });
  }

  it('name a node by a short prefix of its 900,000-character name', () => {
    const g = new GraphBuilder(17);
    g.input('X', ['T', 'B', 1]);
    g.initializer(floatTensor('W', [1, 1, 1], counting(1)));
    g.node('RNN', ['X', 'W', 'W'], { direction: 'reverse' }, ['Y']);
    const graph = g.build('named');
    graph.node = graph.node?.map((node) => ({ ...node, name: HUGE }));
    const message = messageOf(encodeModel({ ir_version: 8, opset_import: [{ version: 17 }], graph }));
    expect(message).toMatch(/^RNN node "z{60}…": expected direction 'forward' or 'bidirectional'/);
    expect(message.length).toBeLessThan(400);
  });
});
