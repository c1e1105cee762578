import { weightsToSafetensors, writeSafetensors } from '@gated/core';
import type { Trainer } from './trainer.js';

/** The trained weights as two safetensors files (F32, little-endian):
 * - `rnn`: the recurrent weights under their PyTorch `state_dict` names, unprefixed, so
 *   `nn.LSTM(...).load_state_dict(load_file('rnn.safetensors'))` (or nn.GRU / nn.RNN) takes it
 *   unchanged; peepholes (`weight_ph_l{k}`) have no PyTorch module.
 * - `head`: `weight` [outputs, D·Hout] and `bias` [outputs], an `nn.Linear` state_dict.
 * Both carry metadata `gated_config` (the normalized config as JSON) and `gated_readout`. */
export function trainerToSafetensors(trainer: Trainer): { rnn: Uint8Array; head: Uint8Array } {
  const metadata = { gated_config: JSON.stringify(trainer.config), gated_readout: trainer.readout };
  const { head } = trainer;
  return {
    rnn: weightsToSafetensors(trainer.config, trainer.weights, { metadata }),
    head: writeSafetensors(
      {
        weight: { data: head.weight, shape: [head.outputs, head.inputs] },
        bias: { data: head.bias, shape: [head.outputs] },
      },
      metadata,
    ),
  };
}
