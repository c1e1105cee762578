import { readdirSync, readFileSync } from 'node:fs';
import { type GatedErrorCode, initWeights, isGatedError, type RecurrentConfig } from '@gated/core';
import { describe, expect, it } from 'vitest';
import { floatTensor } from './const-tensor.js';
import { GraphBuilder } from './graph-builder.js';
import { exportOnnx, importOnnx } from './index.js';
import { encodeModel } from './proto/codec.js';
import { counting, torchUnfoldedLstm } from './test-graphs.js';

function errorOf(fn: () => unknown): { code: GatedErrorCode; message: string } {
  try {
    fn();
  } catch (error) {
    if (isGatedError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a GatedError, nothing was thrown');
}

const encode = (g: GraphBuilder) =>
  encodeModel({ ir_version: 8, opset_import: [{ domain: '', version: g.opset }], graph: g.build('budget') });

/** `layers` LSTM nodes stacked through Squeeze, every one reading the same W, R and B. */
function sharedWeightsStack(layers: number, H: number): Uint8Array {
  const g = new GraphBuilder(17);
  g.input('X', ['T', 'B', H]);
  const W = g.initializer(floatTensor('W', [1, 4 * H, H], counting(4 * H * H, 1e-4)));
  const R = g.initializer(floatTensor('R', [1, 4 * H, H], counting(4 * H * H, 1e-4)));
  const B = g.initializer(floatTensor('B', [1, 8 * H], counting(8 * H)));
  let x = 'X';
  for (let k = 0; k < layers; k++) {
    const outputs = [`Y${k}`, `Y_h${k}`, `Y_c${k}`];
    g.node('LSTM', [x, W, R, B], { hidden_size: H }, outputs);
    x = g.squeeze(outputs[0], 1);
  }
  return encode(g);
}

/** Bytes of ArrayBuffer memory `fn` leaves grown (garbage collection can only lower it). */
function externalGrowth(fn: () => void): number {
  const before = process.memoryUsage().arrayBuffers;
  fn();
  return process.memoryUsage().arrayBuffers - before;
}

const weightBytes = (weights: Record<string, Float32Array>) =>
  Object.values(weights).reduce((n, w) => n + w.byteLength, 0);

describe('the import budget', () => {
  it('refuses 2,000 LSTM nodes sharing one W / R / B (441 KB returning 254 MB before) within 16 × the file', () => {
    const bytes = sharedWeightsStack(2000, 64);
    let error: { code: GatedErrorCode; message: string } | undefined;
    const grown = externalGrowth(() => {
      error = errorOf(() => importOnnx(bytes));
    });
    expect(error?.code).toBe('INVALID_FILE');
    expect(grown).toBeLessThan(16 * bytes.length);
  });

  it('refuses a stack under the layer bound whose shared weights exceed 4 × the file, naming budget and request', () => {
    const bytes = sharedWeightsStack(200, 64);
    const e = errorOf(() => importOnnx(bytes));
    expect(e.code).toBe('INVALID_FILE');
    const asked = 200 * 4 * (2 * 4 * 64 * 64 + 2 * 4 * 64);
    expect(e.message).toBe(
      `graph: 200 LSTM layers: the weights would take ${asked} bytes, over the import budget of ${4 * bytes.length} bytes (4 × the file's ${bytes.length} bytes)`,
    );
  });

  it('imports weights tied across a few layers while they fit in the budget', () => {
    const { weights } = importOnnx(sharedWeightsStack(3, 64));
    expect(weights.weight_hh_l2).toEqual(weights.weight_hh_l0);
  });

  it('imports every torch.onnx.export fixture and exported model with weights well under 4 × the file', () => {
    const dir = new URL('../fixtures/', import.meta.url);
    const files: Uint8Array[] = readdirSync(dir)
      .filter((f) => f.endsWith('.onnx'))
      .map((f) => new Uint8Array(readFileSync(new URL(f, dir))));
    const configs: RecurrentConfig[] = [
      { cell: 'lstm', inputSize: 1, hiddenSize: 1 },
      { cell: 'lstm', inputSize: 64, hiddenSize: 64, numLayers: 2, bidirectional: true, peephole: true },
      { cell: 'gru', inputSize: 1, hiddenSize: 1, bias: false, bidirectional: true },
      { cell: 'rnn', inputSize: 1, hiddenSize: 1, numLayers: 3 },
    ];
    for (const config of configs) files.push(exportOnnx(config, initWeights(config)));
    for (const bytes of files) {
      const ratio = weightBytes(importOnnx(bytes).weights) / bytes.length;
      expect(ratio).toBeLessThan(2.4);
    }
  });

  it('imports 1 × 1 layers where one has B and P and the next gets zeros for them (the densest legitimate case)', () => {
    const g = new GraphBuilder(17);
    g.input('X', ['T', 'B', 1]);
    const W = g.initializer(floatTensor('W', [1, 4, 1], counting(4)));
    const R = g.initializer(floatTensor('R', [1, 4, 1], counting(4)));
    const B = g.initializer(floatTensor('B', [1, 8], counting(8)));
    const P = g.initializer(floatTensor('P', [1, 3], counting(3)));
    g.node('LSTM', ['X', W, R, B, '', '', '', P], {}, ['Y0']);
    g.node('LSTM', [g.squeeze('Y0', 1), W, R], {}, ['Y1']);
    const bytes = encode(g);
    const { weights } = importOnnx(bytes);
    expect(Array.from(weights.bias_ih_l1)).toEqual([0, 0, 0, 0]);
    expect(Array.from(weights.weight_ph_l1)).toEqual([0, 0, 0]);
    expect(weightBytes(weights)).toBeLessThan(4 * bytes.length);
  });

  it('folds a large bidirectional torch.onnx.export graph without constant folding within its budget', () => {
    // Decoded tensors, gate Concats and the direction Concat take 3.0 × this file; gate-block
    // Slices are views (tensor-ops.test.ts): as copies they would take 3.98 ×, at the limit.
    const config: RecurrentConfig = {
      cell: 'lstm',
      inputSize: 96,
      hiddenSize: 96,
      numLayers: 2,
      bidirectional: true,
    };
    const weights = initWeights(config);
    const g = new GraphBuilder(13);
    g.input('X', ['T', 'B', 96]);
    let x = 'X';
    for (let k = 0; k < 2; k++) {
      const layer = Object.fromEntries(
        Object.entries(weights)
          .filter(([name]) => name.includes(`_l${k}`))
          .map(([name, values]) => [name.replace(`_l${k}`, ''), values]),
      );
      const { W, R, B } = torchUnfoldedLstm(g, k, layer, 96);
      g.node('LSTM', [x, W, R, B], { hidden_size: 96, direction: 'bidirectional' }, [`Y${k}`]);
      x = g.node(
        'Reshape',
        [g.node('Transpose', [`Y${k}`], { perm: [0, 2, 1, 3] }), g.int64Const([0, 0, -1])],
        {},
      );
    }
    const imported = importOnnx(encode(g)).weights;
    expect(Object.keys(imported).sort()).toEqual(Object.keys(weights).sort());
    // Compared as bytes: vitest's deep equality takes seconds over 300,000 floats.
    for (const [name, values] of Object.entries(weights))
      expect(Buffer.from(imported[name].buffer).equals(Buffer.from(values.buffer)), name).toBe(true);
  });
});

describe('import cost', () => {
  it('refuses more than 64 plumbing ops between layers, so tracing 5,000 nodes through one chain stays linear', () => {
    const g = new GraphBuilder(17);
    g.input('X', ['T', 'B', 1]);
    let x = 'X';
    for (let k = 0; k < 5000; k++) x = g.node('Identity', [x], {});
    const W = g.initializer(floatTensor('W', [1, 4, 1], counting(4)));
    for (let k = 0; k < 5000; k++) g.node('LSTM', [x, W, W], { hidden_size: 1 }, [`Y${k}`]);
    const e = errorOf(() => importOnnx(encode(g)));
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.message).toMatch(/Identity node .*expected at most 64 .* ops between recurrent layers/);
  });

  it('follows up to 64 plumbing ops between layers', () => {
    const g = new GraphBuilder(17);
    g.input('X', ['T', 'B', 1]);
    let x = 'X';
    for (let k = 0; k < 64; k++) x = g.node('Identity', [x], {});
    const W = g.initializer(floatTensor('W', [1, 1, 1], counting(1)));
    g.node('RNN', [x, W, W], { hidden_size: 1 }, ['Y']);
    expect(importOnnx(encode(g)).config.cell).toBe('rnn');
  });

  it('skips the empty inputs of a Concat (100,000 of them over a 100,000-long axis once spun for minutes)', () => {
    const g = new GraphBuilder(17);
    g.input('X', ['T', 'B', 1]);
    const empty = g.initializer(floatTensor('E', [100_000, 0], new Float32Array(0)));
    const W = g.node('Concat', new Array(100_000).fill(empty), { axis: 1 });
    g.initializer(floatTensor('R', [1, 1, 1], counting(1)));
    g.node('RNN', ['X', W, 'R'], { hidden_size: 1 }, ['Y']);
    const e = errorOf(() => importOnnx(encode(g)));
    expect(e.message).toBe('RNN node "RNN_1": W: expected dims [1, 1, I], received [100000, 0]');
  });

  it('refuses tensors of rank above 16, whose slicing costs rank per element', () => {
    const g = new GraphBuilder(17);
    g.input('X', ['T', 'B', 1]);
    g.initializer(floatTensor('W', new Array(100_000).fill(1), counting(1)));
    g.initializer(floatTensor('R', [1, 1, 1], counting(1)));
    g.node('RNN', ['X', 'W', 'R'], { hidden_size: 1 }, ['Y']);
    const e = errorOf(() => importOnnx(encode(g)));
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.message).toBe('initializer "W": expected at most 16 dims, received 100000');
  });
});
