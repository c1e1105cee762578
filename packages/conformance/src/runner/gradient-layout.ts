import { gateCount, type NormalizedConfig } from '@gated/core';
import { stateLayout, type TensorLayout } from './tensor-layout.js';

/** Gate rows in PyTorch order, as the weights store them. */
const GATE_ROWS = { lstm: ['i', 'f', 'g', 'o'], gru: ['r', 'z', 'n'], rnn: ['h'] } as const;

const axis = (size: number, word: string) => ({ size, label: (i: number) => `${word} ${i}` });

/** The name of a gradient tensor in messages: '∂L/∂weight_ih_l0', '∂L/∂x'. */
export const gradientName = (tensor: string): string => `∂L/∂${tensor}`;

/** A weight gradient: rows of weight_ih/weight_hh/bias_* named by gate and unit ('gate f, unit
 * 2'), weight_hr as (out, unit), weight_ph as (gate i/f/o, unit). */
export function weightGradientLayout(config: NormalizedConfig, name: string, length: number): TensorLayout {
  const H = config.hiddenSize;
  const gateRows = {
    size: gateCount(config.cell) * H,
    label: (row: number) => `gate ${GATE_ROWS[config.cell][Math.floor(row / H)]}, unit ${row % H}`,
  };
  const full = gradientName(name);
  if (name.startsWith('bias_')) return { name: full, axes: [gateRows] };
  if (name.startsWith('weight_ph')) {
    const peephole = { size: 3 * H, label: (k: number) => `gate ${'ifo'[Math.floor(k / H)]}, unit ${k % H}` };
    return { name: full, axes: [peephole] };
  }
  if (name.startsWith('weight_hr'))
    return { name: full, axes: [axis(config.projSize, 'out'), axis(H, 'unit')] };
  if (name.startsWith('weight_ih') || name.startsWith('weight_hh'))
    return { name: full, axes: [gateRows, axis(length / gateRows.size, 'col')] };
  return { name: full, axes: [axis(length, 'index')] };
}

/** ∂L/∂x: [T, B, I], or [B, T, I] with batchFirst. */
export function inputGradientLayout(config: NormalizedConfig, T: number, B: number): TensorLayout {
  const I = axis(config.inputSize, 'in');
  return {
    name: gradientName('x'),
    axes: config.batchFirst ? [axis(B, 'b'), axis(T, 't'), I] : [axis(T, 't'), axis(B, 'b'), I],
  };
}

/** ∂L/∂h0 [L·D, B, Hout] or ∂L/∂c0 [L·D, B, H]. */
export function stateGradientLayout(config: NormalizedConfig, B: number, state: 'h0' | 'c0'): TensorLayout {
  const units = state === 'h0' ? config.projSize || config.hiddenSize : config.hiddenSize;
  return stateLayout(gradientName(state), config, B, units);
}
