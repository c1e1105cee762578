import { type GatedErrorCode, initWeights, isGatedError } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { floatTensor } from './const-tensor.js';
import { GraphBuilder } from './graph-builder.js';
import { exportOnnx, importOnnx } from './index.js';
import { encodeModel } from './proto/codec.js';
import type { OnnxModel } from './proto/types.js';
import { counting, singleNodeModel } from './test-graphs.js';

function errorOf(fn: () => unknown): { code: GatedErrorCode; message: string } {
  try {
    fn();
  } catch (error) {
    if (isGatedError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a GatedError, nothing was thrown');
}

const model = (graph: OnnxModel['graph'], opset = 17): Uint8Array =>
  encodeModel({ ir_version: 8, opset_import: [{ domain: '', version: opset }], graph });

const H = 2;
const lstm = (mutate: Parameters<typeof singleNodeModel>[0]['mutateInitializer']) =>
  singleNodeModel({
    op: 'LSTM',
    attributes: { hidden_size: H },
    W: { dims: [1, 4 * H, 1], values: counting(4 * H) },
    R: { dims: [1, 4 * H, H], values: counting(4 * H * H) },
    mutateInitializer: mutate,
  });

describe('importOnnx errors', () => {
  it('reports bytes that are not a protobuf model as INVALID_FILE', () => {
    expect(errorOf(() => importOnnx(new Uint8Array(0))).code).toBe('INVALID_FILE');
    expect(errorOf(() => importOnnx(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff))).code).toBe('INVALID_FILE');
    expect(errorOf(() => importOnnx('model.onnx' as unknown as Uint8Array)).code).toBe('INVALID_FILE');
  });

  it('reports a truncated model as INVALID_FILE', () => {
    const config = { cell: 'gru', inputSize: 2, hiddenSize: 3 } as const;
    const bytes = exportOnnx(config, initWeights(config));
    expect(errorOf(() => importOnnx(bytes.subarray(0, bytes.length - 7))).code).toBe('INVALID_FILE');
  });

  it('reports a model without a graph as INVALID_FILE', () => {
    expect(errorOf(() => importOnnx(encodeModel({ ir_version: 8 }))).message).toMatch(/model.graph/);
  });

  it('reports a graph without recurrent nodes as UNSUPPORTED, listing what it found', () => {
    const g = new GraphBuilder(17);
    g.input('X', [1]);
    g.node('Relu', ['X'], {}, ['Y']);
    const e = errorOf(() => importOnnx(model(g.build('relu'))));
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.message).toMatch(/only Relu/);
  });

  it('checks dims against the bytes present before allocating', () => {
    const forged = lstm((t) => (t.name === 'R' ? { ...t, dims: [1 << 30, 1 << 30] } : t));
    expect(errorOf(() => importOnnx(forged)).message).toMatch(/initializer "R": expected at most/);
    const short = lstm((t) => (t.name === 'R' ? { ...t, dims: [1, 4 * H, H + 1] } : t));
    expect(errorOf(() => importOnnx(short)).message).toMatch(/need 96 bytes of raw_data, received 64/);
  });

  it('refuses external tensor data and unsupported element types', () => {
    expect(
      errorOf(() => importOnnx(lstm((t) => (t.name === 'W' ? { ...t, data_location: 1 } : t)))).code,
    ).toBe('UNSUPPORTED');
    expect(
      errorOf(() => importOnnx(lstm((t) => (t.name === 'W' ? { ...t, data_type: 10 } : t)))).message,
    ).toMatch(/data_type 10/);
  });

  it('stops constant folding that would allocate far more than the file holds', () => {
    const g = new GraphBuilder(17);
    g.input('X', ['T', 'B', 1]);
    let w = g.initializer(floatTensor('seed', [1, 4 * H, 1], counting(4 * H)));
    for (let i = 0; i < 40; i++) w = g.node('Concat', [w, w], { axis: 2 });
    g.initializer(floatTensor('R', [1, 4 * H, H], counting(4 * H * H)));
    g.node('LSTM', ['X', w, 'R'], { hidden_size: H }, ['Y']);
    const bytes = model(g.build('bomb'));
    const e = errorOf(() => importOnnx(bytes));
    expect(e.code).toBe('INVALID_FILE');
    expect(e.message).toMatch(
      new RegExp(
        `Concat node .*over the import budget of ${4 * bytes.length} bytes \\(4 × the file's ${bytes.length} bytes\\)`,
      ),
    );
  });

  it('refuses two independent stacks and reports cycles as INVALID_FILE', () => {
    const g = new GraphBuilder(17);
    g.input('X', ['T', 'B', 1]);
    const W = g.initializer(floatTensor('W', [1, H, 1], counting(H)));
    const R = g.initializer(floatTensor('R', [1, H, H], counting(H * H)));
    g.node('RNN', ['X', W, R], { hidden_size: H }, ['Y1']);
    g.node('RNN', ['X', W, R], { hidden_size: H }, ['Y2']);
    expect(errorOf(() => importOnnx(model(g.build('two')))).message).toMatch(/2 stacks/);

    const cyclic = new GraphBuilder(17);
    cyclic.input('X', ['T', 'B', 1]);
    cyclic.initializer(floatTensor('R', [1, H, H], counting(H * H)));
    cyclic.node('Identity', ['loop'], {}, ['W']);
    cyclic.node('Identity', ['W'], {}, ['loop']);
    cyclic.node('RNN', ['X', 'W', 'R'], { hidden_size: H }, ['Y']);
    expect(errorOf(() => importOnnx(model(cyclic.build('cycle')))).code).toBe('INVALID_FILE');
  });
});
