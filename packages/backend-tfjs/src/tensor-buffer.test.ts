import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TensorBuffer } from './tensor-buffer.js';
import { TensorMemory } from './tensor-memory.js';

const memory = new TensorMemory(tf);
const values = (n: number, from = 1) => Float32Array.from({ length: n }, (_, k) => from + k);
const list = (n: number, from = 1) => Array.from(values(n, from));

describe('TensorBuffer', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('reads as zeros until written, and hands back a written piece itself', async () => {
    const buffer = new TensorBuffer(memory, 6);
    expect(Array.from(await buffer.read())).toEqual([0, 0, 0, 0, 0, 0]);
    const piece = tf.tensor2d(values(4), [2, 2]);
    buffer.writeTensor(2, piece, null);
    tf.tidy(() => {
      expect(buffer.readBlock(2, 2, 2, false).dataId).toBe(piece.dataId);
    });
    expect(Array.from(await buffer.read())).toEqual([0, 0, 1, 2, 3, 4]);
    buffer.clear();
    expect(piece.isDisposed).toBe(true);
  });

  it('keeps a block written transposed and reads it either way', async () => {
    const buffer = new TensorBuffer(memory, 6);
    // The row-major [2, 3] block [[1, 2, 3], [4, 5, 6]] held as its transpose [3, 2].
    buffer.writeTensor(0, tf.tensor2d([1, 4, 2, 5, 3, 6], [3, 2]), [2, 3]);
    expect(Array.from(await buffer.read())).toEqual([1, 2, 3, 4, 5, 6]);
    tf.tidy(() => {
      expect(Array.from(buffer.readBlock(0, 2, 3, false).dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
      expect(Array.from(buffer.readBlock(0, 2, 3, true).dataSync())).toEqual([1, 4, 2, 5, 3, 6]);
    });
    buffer.clear();
  });

  it('places column blocks side by side and joins them for a whole read', async () => {
    const buffer = new TensorBuffer(memory, 8); // [rows 2, stride 4]
    buffer.writeColumns(2, 4, 2, tf.tensor2d([3, 4, 7, 8], [2, 2]));
    buffer.writeColumns(2, 4, 0, tf.tensor2d([1, 2, 5, 6], [2, 2]));
    expect(Array.from(await buffer.read())).toEqual(list(8));
    tf.tidy(() => {
      expect(Array.from(buffer.readAll(2).dataSync())).toEqual(list(8));
    });
    buffer.clear();
  });

  it('splices a write that cuts across pieces', async () => {
    const buffer = new TensorBuffer(memory, 6);
    buffer.write(values(3), 0);
    buffer.write(values(3, 4), 3);
    buffer.write(new Float32Array([0, 0]), 2);
    expect(Array.from(await buffer.read())).toEqual([1, 2, 0, 0, 5, 6]);
    buffer.writeColumns(2, 3, 1, tf.tensor2d([9, 9], [2, 1]));
    expect(Array.from(await buffer.read())).toEqual([1, 9, 0, 0, 9, 6]);
    buffer.clear();
  });

  it('refuses a write past its end, and disposes a piece freed while it downloads once the download ends', async () => {
    const buffer = new TensorBuffer(memory, 4);
    expect(() => buffer.write(values(3), 2)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    const before = tf.memory().numTensors;
    buffer.write(values(4), 0);
    const reading = buffer.read();
    buffer.clear();
    expect(Array.from(await reading)).toEqual(list(4));
    expect(tf.memory().numTensors).toBe(before);
  });
});
