import { type NormalizedConfig, numDirections, outputSize, type Tensor, tensor } from '@gated/core';

/** Where the head reads the recurrent model:
 * - 'sequence': every step's output ([T, B, D·Hout], or [B, T, D·Hout] with batchFirst), one
 *   prediction per step (sequence labelling, next-token prediction);
 * - 'last': the final hidden state of the last layer, both directions concatenated ([B, D·Hout],
 *   PyTorch's `torch.cat(list(h_n[-D:]), -1)`, which is `output[L_b − 1]` of a unidirectional
 *   model), one prediction per sequence (classification, regression). */
export type Readout = 'sequence' | 'last';

/** The head's input size for a config and readout. */
export function readoutSize(config: NormalizedConfig): number {
  return numDirections(config) * outputSize(config);
}

/** The last layer's final h as [B, D·Hout]. */
export function lastHidden(config: NormalizedConfig, h: Tensor): Tensor {
  const D = numDirections(config);
  const Hout = outputSize(config);
  const B = h.shape[1];
  const first = (config.numLayers - 1) * D;
  const out = new Float32Array(B * D * Hout);
  for (let b = 0; b < B; b++) {
    for (let d = 0; d < D; d++) {
      out.set(
        h.data.subarray(((first + d) * B + b) * Hout, ((first + d) * B + b + 1) * Hout),
        (b * D + d) * Hout,
      );
    }
  }
  return tensor(out, [B, D * Hout]);
}

/** ∂L/∂h [L·D, B, Hout] from ∂L/∂(lastHidden) [B, D·Hout]; zeros for the layers below. */
export function lastHiddenGradient(config: NormalizedConfig, batch: number, d: Tensor): Tensor {
  const D = numDirections(config);
  const Hout = outputSize(config);
  const states = config.numLayers * D;
  const first = (config.numLayers - 1) * D;
  const out = new Float32Array(states * batch * Hout);
  for (let b = 0; b < batch; b++) {
    for (let k = 0; k < D; k++) {
      out.set(d.data.subarray((b * D + k) * Hout, (b * D + k + 1) * Hout), ((first + k) * batch + b) * Hout);
    }
  }
  return tensor(out, [states, batch, Hout]);
}

/** 1 for the output rows a loss counts, 0 for padded steps (t ≥ seqLens[b]), in the row order
 * of the output (time-major, or batch-major with batchFirst); null when every row counts. */
export function stepMask(
  config: NormalizedConfig,
  steps: number,
  batch: number,
  seqLens: readonly number[] | Int32Array | undefined,
): Uint8Array | null {
  if (seqLens === undefined) return null;
  const mask = new Uint8Array(steps * batch);
  for (let t = 0; t < steps; t++) {
    for (let b = 0; b < batch; b++) {
      mask[config.batchFirst ? b * steps + t : t * batch + b] = t < seqLens[b] ? 1 : 0;
    }
  }
  return mask;
}
