import { type NormalizedConfig, numDirections, outputSize } from '@gated/core';

/** How to name the elements of a compared tensor: its name and its axes, outermost first. */
export interface TensorLayout {
  /** e.g. 'output', 'h', 'gates[layer 0, reverse].f', 'stream output' */
  readonly name: string;
  readonly axes: readonly Axis[];
}

export interface Axis {
  readonly size: number;
  readonly label: (index: number) => string;
}

const axis = (size: number, word: string): Axis => ({ size, label: (i) => `${word} ${i}` });

const directionName = (direction: number) => (direction === 0 ? 'forward' : 'reverse');

/** The position of a flat (row-major) index, e.g. "t 3, b 1, unit 5"; "index 12" when the
 * index lies outside the layout. */
export function positionOf(layout: TensorLayout, index: number): string {
  const size = layout.axes.reduce((n, a) => n * a.size, 1);
  if (!Number.isInteger(index) || index < 0 || index >= size) return `index ${index}`;
  const labels: string[] = [];
  let rest = index;
  for (let k = layout.axes.length - 1; k >= 0; k--) {
    const { size: n, label } = layout.axes[k];
    labels.unshift(label(rest % n));
    rest = Math.floor(rest / n);
  }
  return labels.join(', ');
}

/** Units of a layer output row: D·Hout, forward units first. */
function unitAxis(config: NormalizedConfig): Axis {
  const Hout = outputSize(config);
  if (numDirections(config) === 1) return axis(Hout, 'unit');
  return {
    size: 2 * Hout,
    label: (i) => (i < Hout ? `forward unit ${i}` : `reverse unit ${i - Hout}`),
  };
}

/** output [T, B, D·Hout], or [B, T, D·Hout] with batchFirst. */
export function outputLayout(config: NormalizedConfig, T: number, B: number): TensorLayout {
  const units = unitAxis(config);
  return {
    name: 'output',
    axes: config.batchFirst ? [axis(B, 'b'), axis(T, 't'), units] : [axis(T, 't'), axis(B, 'b'), units],
  };
}

/** T stream step outputs stacked time-major: [T, B, Hout]. */
export function streamLayout(
  config: NormalizedConfig,
  T: number,
  B: number,
  name = 'stream output',
): TensorLayout {
  return { name, axes: [axis(T, 'step'), axis(B, 'b'), axis(outputSize(config), 'unit')] };
}

/** h [L·D, B, Hout] or c [L·D, B, H]: rows are layer·D + direction. */
export function stateLayout(name: string, config: NormalizedConfig, B: number, units: number): TensorLayout {
  const D = numDirections(config);
  const rows: Axis = {
    size: config.numLayers * D,
    label: (i) => (D === 1 ? `layer ${i}` : `layer ${Math.floor(i / D)} ${directionName(i % D)}`),
  };
  return { name, axes: [rows, axis(B, 'b'), axis(units, 'unit')] };
}

export function hLayout(config: NormalizedConfig, B: number, name = 'h'): TensorLayout {
  return stateLayout(name, config, B, outputSize(config));
}

export function cLayout(config: NormalizedConfig, B: number, name = 'c'): TensorLayout {
  return stateLayout(name, config, B, config.hiddenSize);
}

/** The name of one gate trace, e.g. 'gates[layer 0, reverse].f'. */
export function gateName(layer: number, direction: number, gate: string): string {
  return `gates[layer ${layer}, ${directionName(direction)}].${gate}`;
}

/** One gate trace [T, B, H]. */
export function gateLayout(
  layer: number,
  direction: number,
  gate: string,
  T: number,
  B: number,
  H: number,
): TensorLayout {
  return { name: gateName(layer, direction, gate), axes: [axis(T, 't'), axis(B, 'b'), axis(H, 'unit')] };
}
