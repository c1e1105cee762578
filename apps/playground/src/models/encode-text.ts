import { type Tensor, tensor } from '@gated/core';

/** The column of character `ch`: its index in the vocabulary (the last column for anything
 * else), or, for a model without a vocabulary, its code point modulo the input size. */
export function columnOf(ch: string, vocabulary: readonly string[] | null, inputSize: number): number {
  if (vocabulary) {
    const k = vocabulary.indexOf(ch);
    return k >= 0 ? k : vocabulary.length - 1;
  }
  return (ch.codePointAt(0) ?? 0) % inputSize;
}

/** Text → one-hot x [T, 1, inputSize] (time-major, batch of one). */
export function encodeText(text: string, vocabulary: readonly string[] | null, inputSize: number): Tensor {
  const chars = [...text];
  const data = new Float32Array(chars.length * inputSize);
  chars.forEach((ch, t) => {
    data[t * inputSize + columnOf(ch, vocabulary, inputSize)] = 1;
  });
  return tensor(data, [chars.length, 1, inputSize]);
}
