import type { SafetensorsFile } from '@gated/core';
import type { PlaygroundConfig } from '../models/loaded-model.js';

/** A first guess at a PyTorch checkpoint's config, from its tensor names and shapes: the
 * prefix before `weight_ih_l0`, the cell from weight_hh's rows per column (4 LSTM, 3 GRU, 1
 * RNN), layers and directions from the names. The user checks it in the form. */
export function guessConfig(file: SafetensorsFile): { config: PlaygroundConfig; prefix: string } | null {
  const names = Object.keys(file.tensors);
  const first = names.find((n) => n.endsWith('weight_ih_l0'));
  if (!first) return null;
  const prefix = first.slice(0, -'weight_ih_l0'.length);
  const hh = file.tensors[`${prefix}weight_hh_l0`];
  const ih = file.tensors[first];
  if (hh?.shape.length !== 2 || ih.shape.length !== 2) return null;
  const hr = file.tensors[`${prefix}weight_hr_l0`];
  const hidden = hr ? hr.shape[1] : hh.shape[1];
  const gates = hh.shape[0] / hidden;
  const cell = gates === 4 ? 'lstm' : gates === 3 ? 'gru' : 'rnn';
  let numLayers = 1;
  while (names.includes(`${prefix}weight_ih_l${numLayers}`)) numLayers++;
  return {
    prefix,
    config: {
      cell,
      inputSize: ih.shape[1],
      hiddenSize: hidden,
      numLayers,
      bidirectional: names.includes(`${prefix}weight_ih_l0_reverse`),
      ...(hr ? { projSize: hr.shape[0] } : {}),
      ...(names.includes(`${prefix}bias_ih_l0`) ? {} : { bias: false }),
    },
  };
}
